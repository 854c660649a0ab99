// The shapes of the recorded reference fixtures, shared by the Node tests and the browser harness
// pages (browser/page/*, bundled by esbuild; type-only imports, so nothing Node-only is pulled in):
// spikingjelly's golden neuron cases (../shared/golden, test/fixtures/golden) and the PyTorch layer
// fixtures of packages/nn/test/fixtures (written by packages/nn/scripts/*.py).

/** A nested number array as JSON holds it. */
export type Nested = number | Nested[];

/** spikingjelly's constructor kwargs of a golden neuron case. */
export interface SjConfig {
  v_threshold: number;
  v_reset: number | null;
  detach_reset: boolean;
  surrogate_function: { class: string; alpha: number; spiking: boolean };
  tau?: number;
  init_tau?: number;
  decay_input?: boolean;
}

/** One golden neuron case of neurons.json: inputs (`x_seq`, upstream gradient `G`) and what spikingjelly gave. */
export interface NeuronCase {
  id: string;
  neuron: 'IFNode' | 'LIFNode' | 'ParametricLIFNode';
  config: SjConfig;
  x_seq: number[][][];
  G: number[][][];
  spike_seq: number[][][];
  v: number[][];
  v_seq: number[][][];
  grad_x_seq: number[][][];
  grad_w?: number;
  reciprocal_tau?: number;
}

/** A convolution case of torch_conv.json. */
export interface ConvCase {
  name: string;
  inChannels: number;
  outChannels: number;
  kernelSize: number | [number, number];
  args: Record<string, unknown>;
  xShape: number[];
  yShape: number[];
  x: number[];
  weight: number[];
  bias: number[] | null;
  g: number[];
  y: number[];
  grad_x: number[];
  grad_weight: number[];
  grad_bias: number[] | null;
}

/** A pooling case of torch_pool.json. */
export interface PoolCase {
  kind: 'MaxPool2d' | 'AvgPool2d' | 'AdaptiveAvgPool2d';
  args: Record<string, unknown>;
  python: string;
  inputShape: number[];
  input: number[];
  outputShape: number[];
  output: number[];
  gradOutput: number[];
  gradInput: number[];
}

/** What PyTorch recorded for a batch-norm case in one mode. */
export interface NormModeRecord {
  output: Nested;
  grad_input: Nested;
  grad_weight?: number[];
  grad_bias?: number[];
  output2?: Nested;
  running_mean?: number[];
  running_var?: number[];
  num_batches_tracked?: number;
}

/** A batch-norm case of torch_norm.json. */
export interface NormCase {
  name: string;
  cls: 'BatchNorm1d' | 'BatchNorm2d';
  call: string;
  kwargs: { eps?: number; momentum?: number | null; affine?: boolean; track_running_stats?: boolean };
  tdbn?: { alpha: number; v_th: number; T: number };
  weight?: number[];
  bias?: number[];
  x1: Nested;
  x2: Nested;
  grad_out: Nested;
  train: NormModeRecord;
  eval: NormModeRecord;
}
