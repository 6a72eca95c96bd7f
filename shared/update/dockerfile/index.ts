/** The dockerfile folder's door: BuildKit's parsing rules, and the base images a Dockerfile names. */
export { extractDockerfile } from './extract.js';
export { parseDockerfile, DockerfileSyntaxError } from './instructions.js';
export type { ParsedDockerfile, Instruction, Directive, Heredoc } from './instructions.js';
