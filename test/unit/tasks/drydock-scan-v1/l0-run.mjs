// An L0 test script, as azure-pipelines-task-lib's MockTestRunner runs one (`node l0-run.mjs`):
// the agent's variables and the task's inputs, then the task itself. The scenario comes from the
// jest test in DRYDOCK_L0_SCENARIO ({ variables: { ENV_NAME: value }, inputs: { name: value }, task?: FILE }),
// where task is the CommonJS door of another task's bundle (default: DrydockScanV1's l0-task.cjs).
// The task runs with the real task-lib (run(true)): its bundle carries task-lib inside, and the
// registry, database and files it reads are real.
import { fileURLToPath } from 'node:url';
import { TaskMockRunner } from 'azure-pipelines-task-lib/mock-run.js';

const scenario = JSON.parse(process.env.DRYDOCK_L0_SCENARIO ?? '{}');
for (const [name, value] of Object.entries(scenario.variables ?? {})) process.env[name] = value;
const runner = new TaskMockRunner(scenario.task ?? fileURLToPath(new URL('./l0-task.cjs', import.meta.url)));
for (const [name, value] of Object.entries(scenario.inputs ?? {})) runner.setInput(name, value);
runner.run(true);
