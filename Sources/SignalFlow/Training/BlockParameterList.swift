// Where each parameter tensor of a network of blocks stands in its flat list (the resnet's, the transformer's):
// the tensors before the blocks, each block's in turn, then the read-out's W_out and b_out.
// Legend: L = blocks (depth), P = tensors per block, k = a tensor's place in its block (0..<P).

/// A network whose parameters are [leading tensors, block 1's P tensors, ..., block L's, W_out, b_out].
protocol BlockParameterList {
    /// Tensors before block 1: the transformer's token embedding (1); none for the resnet.
    static var leadingTensors: Int { get }
    /// Blocks L.
    var depth: Int { get }
    /// Tensors of each block, P.
    var perBlock: Int { get }
}

extension BlockParameterList {
    /// Index of tensor k (0..<P) of block l (1...L).
    func index(block l: Int, _ k: Int) -> Int { Self.leadingTensors + (l - 1) * perBlock + k }
    /// Index of W_out (b_out follows).
    var readoutIndex: Int { Self.leadingTensors + depth * perBlock }
    /// The training loop's reported layers: block l's tensors `weights` (places in the block) for l = 1...L, then
    /// the read-out (W_out).
    func blockLayers(weights: [Int]) -> [[Int]] {
        (1...depth).map { l in weights.map { index(block: l, $0) } } + [[readoutIndex]]
    }
}
