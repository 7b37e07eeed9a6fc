// rng

// data
export * from './data/batch.js';
export * from './data/data-error.js';
export * from './data/dataset.js';
export * from './data/fingerprint.js';
export * from './data/idx.js';
export * from './data/mnist.js';
export * from './data/pack.js';
export * from './data/sampler.js';
export * from './data/splits.js';
// the gradient method on 2-D functions
export * from './descend/compare.js';
export * from './descend/descend-error.js';
export * from './descend/gradient-descent.js';
export * from './descend/objectives.js';
export * from './descend/trajectory.js';
// gradcheck
export * from './gradcheck/gradcheck.js';
export * from './gradcheck/numerical.js';
// checkpoints and hashing
export * from './io/atomic-write.js';
export * from './io/checkpoint.js';
export * from './io/hash.js';
export * from './io/io-error.js';
export * from './io/safetensors.js';
// layers
export * from './layers/activation.js';
export * from './layers/affine.js';
export * from './layers/batch-norm.js';
export * from './layers/dropout.js';
export * from './layers/layer.js';
export * from './layers/relu.js';
export * from './layers/sigmoid.js';
export * from './layers/softmax-with-loss.js';
// nets
export * from './nets/build.js';
export * from './nets/multi-layer-net.js';
export * from './nets/net.js';
export * from './nets/sequential-net.js';
export * from './nets/two-layer-net.js';
export * from './nets/weight-decay.js';
// optimizers
export * from './optim/adagrad.js';
export * from './optim/adam.js';
export * from './optim/create.js';
export * from './optim/momentum.js';
export * from './optim/nesterov.js';
export * from './optim/optimizer.js';
export * from './optim/optimizer-error.js';
export * from './optim/rmsprop.js';
export * from './optim/sgd.js';
export * from './rng.js';
// tensor: kernels
export * from './tensor/backend.js';
export * from './tensor/create.js';
export * from './tensor/js-backend.js';
export * from './tensor/pairwise.js';
export * from './tensor/same-bits.js';
export * from './tensor/wasm/wasm-backend-error.js';
export * from './tensor/wasm-backend.js';
// the training step
export * from './train/accumulator.js';
export * from './train/apply.js';
export * from './train/config.js';
export * from './train/factor-replay.js';
export * from './train/listed-rows.js';
export * from './train/local-trainer.js';
export * from './train/node-thread.js';
export * from './train/shard-computer.js';
export * from './train/shard-tree.js';
export * from './train/shards.js';
