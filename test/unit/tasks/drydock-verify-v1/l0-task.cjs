// The task as TaskMockRunner loads it: it require()s the task file, and the bundle is an ES
// module with top-level await, which require() cannot load; this CommonJS door imports it.
void import('../../../../tasks/DrydockVerifyV1/dist/index.js');
