/**
 * Paths the convert tests share: the bundled golden models (examples/convert-onnx/models, copied
 * from shared/golden with provenance), the spikingjelly golden data and Fashion-MNIST.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The MLP and CNN that spikingjelly converted (examples/convert-onnx/models). */
export const MODELS = {
  mlp: fileURLToPath(new URL('../../../../examples/convert-onnx/models/mlp.onnx', import.meta.url)),
  cnn: fileURLToPath(new URL('../../../../examples/convert-onnx/models/cnn.onnx', import.meta.url)),
};

/** A small model of test/fixtures/small. */
export const small = (name: string) => fileURLToPath(new URL(`../fixtures/small/${name}`, import.meta.url));

/** Debian's dataset-fashion-mnist. */
export const FASHION = '/usr/share/datasets/fashion-mnist';
/** Whether Fashion-MNIST is installed (CI installs it; see .ci/run). */
export const HAVE_FASHION = existsSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`);

/** ann2snn.json, parsed. */
export function loadAnn2Snn(): Ann2Snn {
  return JSON.parse(readFileSync(new URL('../fixtures/golden/ann2snn.json', import.meta.url), 'utf8')) as Ann2Snn;
}

/** The parts of ann2snn.json the tests read. */
export interface Ann2Snn {
  meta: { T_values: number[] };
  samples: { images_uint8: number[][][]; labels: number[] };
  models: Record<
    'mlp' | 'cnn',
    {
      ann_accuracy_first2000: number;
      samples: { ann_logits: number[][] };
      modes: Record<
        'max' | '99.9%',
        {
          snn_accuracy_first2000: Record<string, number>;
          layers: { threshold_scale: number }[];
          calibration_per_batch_statistic: number[][];
          samples_T32: {
            snn_output_accumulated: number[][];
            snn_output_per_step?: number[][][];
            spike_counts_per_if_layer?: Record<string, number[]>;
            argmax: number[];
          };
        }
      >;
    }
  >;
}
