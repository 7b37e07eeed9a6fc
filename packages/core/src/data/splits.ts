import { DataError, DataErrorCode } from './data-error.js';
import type { DataSplits, Dataset } from './dataset.js';
import { datasetFingerprint } from './fingerprint.js';
import type { IdxArray } from './idx.js';

/** MNIST and its drop-in relatives (Fashion-MNIST, KMNIST) all have ten classes. */
export const MNIST_CLASSES = 10;

/** One split as decoded IDX arrays, with the names to blame in messages. */
export interface IdxSplit {
  readonly images: IdxArray;
  readonly labels: IdxArray;
  readonly imagesFile: string;
  readonly labelsFile: string;
}

/** Checks one split's images and labels against each other and wraps them as a Dataset (no copy). */
export function datasetFromIdx(split: IdxSplit, classes: number = MNIST_CLASSES): Dataset {
  const [count, rows, cols] = split.images.dims as [number, number, number];
  const labelCount = split.labels.dims[0] as number;
  if (labelCount !== count) {
    throw new DataError(
      DataErrorCode.countMismatch,
      `${split.imagesFile} holds ${count} images but ${split.labelsFile} holds ${labelCount} labels. Both files must come from the same split of the same data set.`,
      { file: split.labelsFile },
    );
  }
  const labels = split.labels.data;
  for (let i = 0; i < labels.length; i++) {
    if ((labels[i] as number) >= classes) {
      throw new DataError(
        DataErrorCode.labelOutOfRange,
        `${split.labelsFile}: label ${labels[i]} at index ${i} is not below the ${classes} classes of an MNIST-like data set.`,
        { file: split.labelsFile },
      );
    }
  }
  return { count, rows, cols, features: rows * cols, classes, images: split.images.data, labels };
}

/** Train and test splits of one data set, which must share the image size. */
export function splitsFromIdx(
  train: IdxSplit,
  test: IdxSplit,
  source: string,
  classes: number = MNIST_CLASSES,
): DataSplits {
  const trainSet = datasetFromIdx(train, classes);
  const testSet = datasetFromIdx(test, classes);
  if (trainSet.rows !== testSet.rows || trainSet.cols !== testSet.cols) {
    throw new DataError(
      DataErrorCode.badShape,
      `${train.imagesFile} has ${trainSet.rows}×${trainSet.cols} images but ${test.imagesFile} has ${testSet.rows}×${testSet.cols}. Train and test must come from the same data set.`,
      { file: test.imagesFile },
    );
  }
  return { train: trainSet, test: testSet, fingerprint: datasetFingerprint(trainSet, testSet), source };
}
