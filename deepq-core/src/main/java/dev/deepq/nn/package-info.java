/**
 * The neural core: float32 networks on flat arrays, with explicit forward and backward passes and no dependencies.
 *
 * <ul>
 *   <li>{@link dev.deepq.nn.Kernels}: matrix products, fused bias + activation, reductions and element-wise updates,
 *       in a {@code jdk.incubator.vector} implementation and a plain-loop fallback, chosen once per process (start
 *       the JVM with {@code --add-modules jdk.incubator.vector} for the fast one; {@code -Ddeepq.kernels=scalar}
 *       or {@code vector} forces either). {@link dev.deepq.nn.Kernels#parallel(int)} (or
 *       {@code -Ddeepq.threads=N}) splits each large matrix product over N threads with bit-identical results.</li>
 *   <li>{@link dev.deepq.nn.Layer}s ({@link dev.deepq.nn.Linear}, {@link dev.deepq.nn.Relu},
 *       {@link dev.deepq.nn.Tanh}, {@link dev.deepq.nn.Elu}, {@link dev.deepq.nn.Gelu},
 *       {@link dev.deepq.nn.LayerNorm}, {@link dev.deepq.nn.Dropout}, {@link dev.deepq.nn.Sequential},
 *       {@link dev.deepq.nn.DuelingHead}, {@link dev.deepq.nn.MultiHead}, {@link dev.deepq.nn.Ensemble} of
 *       {@link dev.deepq.nn.EnsembleLinear}s for N critics as one network), built by {@link dev.deepq.nn.Mlp} and
 *       run by a {@link dev.deepq.nn.Network}, which owns one flat parameter array and one flat gradient array with
 *       PyTorch {@code state_dict} names ({@link dev.deepq.nn.ParameterView}).
 *       {@link dev.deepq.nn.Network#backwardInputOnly} gives d loss / d input without parameter gradients (an
 *       actor's gradient through a critic).</li>
 *   <li>Initializers ({@link dev.deepq.nn.Init}, {@link dev.deepq.nn.LinearInit}); losses in
 *       {@code dev.deepq.nn.loss}; optimizers and gradient clipping in {@code dev.deepq.nn.optim}.</li>
 * </ul>
 *
 * <p>Data layout: the network's inputs and outputs are batch-major as in PyTorch; inside, activations are
 * feature-major (features × batch), so a dense layer's forward pass W·X, its weight gradient dZ·Xᵀ and its input
 * gradient Wᵀ·dZ all run with the batch along the vector lanes and the weights stay in PyTorch's out × in layout,
 * never transposed. Only the network's input and output are transposed, which is cheap because they are narrow.
 */
package dev.deepq.nn;
