// The piscina worker of `threadEngine` (@tenzo/engines/node): one slice of a batch per task.
import { evaluateSlice } from '../module/evaluateSlice.js';

export default evaluateSlice;
