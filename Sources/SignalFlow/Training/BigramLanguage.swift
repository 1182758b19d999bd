// The `bigram` task's language: a random bigram (first-order Markov) language over V tokens, its sequences, and
// the lowest expected next-token cross-entropy any predictor can reach on them, computed exactly.
// Legend: V = vocabulary, P = V x V transitions (row i = the distribution of the token after token i), T = tokens per
// sequence, u = the uniform distribution (the first token), h_i = -sum_j P_ij ln P_ij (entropy of row i, nats).
//   row i of P = softmax(sharpness z_i), z_i ~ N(0, I_V) from its own stream (sharpness 3: about 1.9 nats per row
//   at V = 64, against ln 64 = 4.16 for a uniform guess);
//   a sequence is T + 1 tokens t_0 ~ u, t_{k+1} ~ P[t_k]; the network sees t_0 ... t_{T-1} and predicts t_1 ... t_T;
//   floor = (1/T) sum_{k=0}^{T-1} (u P^k) . h: the mean over positions of the conditional entropy, exact for this
//   stream (the marginal of t_k is u P^k).
import Foundation

/// A random bigram language and its sequences.
struct BigramLanguage: Sendable {
    /// Vocabulary V.
    let vocabulary: Int
    /// P, V x V row-major, each row summing to 1.
    let transitions: [Double]
    /// Cumulative sums of each row (for sampling by inversion).
    private let cumulative: [Double]

    /// How peaked the rows are: row i = softmax(sharpness z_i).
    static let sharpness = 3.0

    /// The language of `vocabulary` tokens drawn from `seed` (stream `TrainingStreams.bigramTransitions`).
    init(vocabulary v: Int, seed: UInt64) {
        var random = RandomSource(seed: seed, stream: TrainingStreams.bigramTransitions)
        var p = [Double](repeating: 0, count: v * v)
        for i in 0..<v {
            let logits = (0..<v).map { _ in Self.sharpness * random.nextStandardNormal() }
            let top = logits.max() ?? 0
            let e = logits.map { Foundation.exp($0 - top) }
            let total = e.reduce(0, +)
            for j in 0..<v { p[i * v + j] = e[j] / total }
        }
        self.init(transitions: p, vocabulary: v)
    }

    /// The language with the given transitions (V x V, rows summing to 1).
    init(transitions: [Double], vocabulary v: Int) {
        Invariant.require(transitions.count == v * v, "bigram: \(transitions.count) transitions for V = \(v)")
        vocabulary = v; self.transitions = transitions
        var c = transitions
        for i in 0..<v { for j in 1..<Swift.max(v, 1) { c[i * v + j] += c[i * v + j - 1] } }
        cumulative = c
    }

    /// The entropy (nats) of each row of P.
    var rowEntropies: [Double] {
        (0..<vocabulary).map { i in
            (0..<vocabulary).reduce(0.0) { sum, j in
                let p = transitions[i * vocabulary + j]
                return p > 0 ? sum - p * Foundation.log(p) : sum
            }
        }
    }

    /// The lowest expected loss over a sequence of T predictions: (1/T) sum_{k<T} (u P^k) . h.
    func floor(tokens t: Int) -> Double {
        let v = vocabulary, h = rowEntropies
        var marginal = [Double](repeating: 1 / Double(v), count: v)
        var total = 0.0
        for _ in 0..<t {
            total += zip(marginal, h).reduce(0) { $0 + $1.0 * $1.1 }
            var next = [Double](repeating: 0, count: v)
            for i in 0..<v where marginal[i] != 0 { for j in 0..<v { next[j] += marginal[i] * transitions[i * v + j] } }
            marginal = next
        }
        return total / Double(Swift.max(t, 1))
    }

    /// The token after `token`, drawn by inversion of its row.
    func next(after token: Int, random: inout RandomSource) -> Int {
        let u = random.nextUnitDouble(), row = token * vocabulary
        for j in 0..<(vocabulary - 1) where u < cumulative[row + j] { return j }
        return vocabulary - 1
    }

    /// `sequences` sequences of T + 1 tokens: inputs t_0 ... t_{T-1} and labels t_1 ... t_T, row b T + k.
    func sample(sequences: Int, tokens t: Int, random: inout RandomSource) -> (inputs: [Int], labels: [Int]) {
        var inputs = [Int](repeating: 0, count: sequences * t), labels = inputs
        for b in 0..<sequences {
            var token = Int(random.next() % UInt64(vocabulary))
            for k in 0..<t {
                inputs[b * t + k] = token
                token = next(after: token, random: &random)
                labels[b * t + k] = token
            }
        }
        return (inputs, labels)
    }
}
