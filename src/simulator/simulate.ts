/** The simulator's entry points: compile a state once, then predict probes against it. */
export { compileState, type CompileOptions, type CompiledState } from './compile-state.js';
export { predict } from './predict.js';
export { evaluateMatrix, type ReachabilityMatrix } from './evaluate-matrix.js';
