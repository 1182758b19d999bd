// The weight initializers, PyTorch conventions (reference sections 1-2): one type, one case per scheme.
// Legend: fan_in = n_{l-1}, fan_out = n_l for a dense layer computing x W (W is fan_in x fan_out).

/// Which fan a variance-scaling initializer divides by.
public enum FanMode: String, Equatable, Hashable, Sendable {
    case fanIn = "fan-in"
    case fanOut = "fan-out"
}

/// The JAX/Keras named initializers that draw from a +-2 sigma0 truncated normal with variance correction.
public enum TruncatedFamily: String, Equatable, Hashable, Sendable {
    /// glorot_normal: scale 1, fan_avg.
    case glorot
    /// he_normal: scale 2, fan_in.
    case he
    /// lecun_normal: scale 1, fan_in.
    case lecun
}

/// A weight-initialization scheme with its parameters.
public indirect enum Initializer: Equatable, Hashable, Sendable {
    /// All weights zero.
    case zeros
    /// N(0, std^2).
    case normal(std: Double)
    /// U(-bound, bound).
    case uniform(bound: Double)
    /// PyTorch xavier_uniform_: U(+-gain * sqrt(6 / (fan_in + fan_out))).
    case xavierUniform(gain: Double)
    /// PyTorch xavier_normal_: N(0, gain^2 * 2 / (fan_in + fan_out)), untruncated.
    case xavierNormal(gain: Double)
    /// PyTorch kaiming_uniform_: U(+-gain * sqrt(3 / fan_mode)); gain nil = the activation's gain.
    case heUniform(mode: FanMode, gain: Double?)
    /// PyTorch kaiming_normal_: N(0, gain^2 / fan_mode), untruncated; gain nil = the activation's gain.
    case heNormal(mode: FanMode, gain: Double?)
    /// N(0, 1 / fan_in), untruncated (PyTorch kaiming_normal_(nonlinearity='linear')).
    case lecunNormal
    /// U(+-sqrt(3 / fan_in)).
    case lecunUniform
    /// JAX/Keras *_normal: truncated at +-2 sigma0 with sigma0 = target std / 0.87962566103423978.
    case truncatedNormal(TruncatedFamily)
    /// PyTorch orthogonal_ with the Haar sign correction, times gain; gain nil = the activation's gain.
    case orthogonal(gain: Double?)
    /// PyTorch nn.Linear default: U(+-1 / sqrt(fan_in)).
    case torchDefault
    /// LSUV (Mishkin & Matas 2016): orthonormal pre-init, then per layer W <- W / sqrt(Var(h)) until
    /// |Var(h) - 1| < tolerance or maxIterations rescalings.
    case lsuv(tolerance: Double, maxIterations: Int)
    /// Fixup (Zhang et al. 2019), residual networks only: the last weight layer of every branch 0, the others He
    /// (fan-in, the activation's gain) times L^(-1/(2m-2)); no normalization.
    case fixup
    /// ReZero (Bachlechner et al. 2020), residual networks only: branch multiplier 0, He weights, no normalization.
    case rezero
    /// SkipInit (De & Smith 2020), residual networks only: branch multiplier `multiplier` (default 0), He weights,
    /// no normalization.
    case skipInit(multiplier: Double)
    /// GPT-2 / Megatron (Radford et al. 2019), transformers only: every weight N(0, std^2) (default 0.02), the
    /// residual output projections (attention output, FFN out) N(0, (std / sqrt(2L))^2).
    case gpt2(std: Double)
    /// T-Fixup (Huang et al. 2020, encoder form), transformers only: no LayerNorm; Xavier-uniform weights (query and
    /// key with fairseq's gain 1/sqrt 2), value, output and both FFN weights times 0.67 L^(-1/4).
    case tFixup
    /// DeepNorm (Wang et al. 2022, encoder-only row), transformers only: post-LN with skip alpha = (2L)^(1/4);
    /// Xavier-normal weights, value, output and both FFN weights with gain beta = (8L)^(-1/4).
    case deepNorm
}
