// Activations: PyTorch gains (oracle A2), values at known points, derivatives vs central differences,
// Float vs Double agreement, names.
import Foundation
import Testing
@testable import SignalFlow

@Test func pytorchGains() {
    // A2 (1e-12 relative).
    let expected: [(Activation, Double)] = [
        (.linear, 1), (.sigmoid, 1), (.tanh, 1.6666666666666667), (.relu, 1.4142135623730951),
        (.leakyRelu(slope: 0.01), 1.4141428569978354), (.leakyRelu(slope: 0.2), 1.3867504905630728),
        (.leakyRelu(slope: 5.0.squareRoot()), 0.5773502691896257), (.selu, 0.75), (.gelu, 1),
    ]
    for (activation, gain) in expected {
        #expect(Swift.abs(activation.gain - gain) <= 1e-12 * gain, "\(activation.name)")
    }
}

@Test func valuesAtKnownPoints() {
    #expect(Activation.relu.value(-2.0) == 0 && Activation.relu.value(3.0) == 3)
    #expect(Activation.leakyRelu(slope: 0.1).value(-2.0) == -0.2)
    #expect(Swift.abs(Activation.tanh.value(1.0) - 0.7615941559557649) < 1e-15)
    #expect(Swift.abs(Activation.sigmoid.value(0.0) - 0.5) < 1e-15)
    #expect(Swift.abs(Activation.sigmoid.value(2.0) - 0.8807970779778823) < 1e-15)
    // GELU exact: x Phi(x); Phi(1) = 0.8413447460685429.
    #expect(Swift.abs(Activation.gelu.value(1.0) - 0.8413447460685429) < 1e-15)
    #expect(Swift.abs(Activation.gelu.value(-1.0) + 0.15865525393145707) < 1e-15)
    #expect(Swift.abs(Activation.selu.value(1.0) - 1.0507009873554805) < 1e-15)
    #expect(Swift.abs(Activation.selu.value(-1.0) - 1.0507009873554805 * 1.6732632423543772 * (Foundation.exp(-1) - 1)) < 1e-15)
    #expect(Activation.linear.value(-7.5) == -7.5)
}

@Test func derivativesMatchCentralDifferences() {
    // h = 1e-5: central-difference error ~ h^2 |phi'''| / 6 + eps / h ~ 1e-10; kinks at 0 are avoided.
    let points: [Double] = [-3.1, -1.7, -0.6, -0.05, 0.07, 0.4, 1.3, 2.9]
    let h = 1e-5
    for activation in Activation.all + [.leakyRelu(slope: 0.2)] {
        for x in points {
            let numeric = (activation.value(x + h) - activation.value(x - h)) / (2 * h)
            #expect(Swift.abs(activation.derivative(x) - numeric) < 1e-8, "\(activation.name) at \(x)")
        }
    }
}

@Test func floatAndDoublePathsAgree() {
    let points: [Float] = [-6, -2.5, -1, -0.3, 0, 0.2, 0.9, 2, 7]
    for activation in Activation.all {
        for x in points {
            let valueError = Swift.abs(Double(activation.value(x)) - activation.value(Double(x)))
            let derivativeError = Swift.abs(Double(activation.derivative(x)) - activation.derivative(Double(x)))
            #expect(valueError <= 4e-7 * Swift.max(1, Swift.abs(activation.value(Double(x)))), "\(activation.name) value at \(x)")
            #expect(derivativeError <= 4e-7 * Swift.max(1, Swift.abs(activation.derivative(Double(x)))), "\(activation.name) derivative at \(x)")
        }
    }
}

@Test func kinkConventionsAndSaturation() {
    #expect(Activation.relu.derivative(0.0) == 0)
    #expect(Activation.leakyRelu(slope: 0.01).derivative(0.0) == 0.01)
    #expect(Activation.tanh.isSaturated(activationValue: 0.995) && !Activation.tanh.isSaturated(activationValue: 0.98))
    #expect(Activation.sigmoid.isSaturated(activationValue: 0.005) && !Activation.sigmoid.isSaturated(activationValue: 0.5))
    #expect(!Activation.relu.isSaturated(activationValue: 1e30))
}

@Test func namesRoundTrip() {
    for activation in Activation.all + [.leakyRelu(slope: 0.2)] {
        #expect(Activation(name: activation.name) == activation)
    }
    #expect(Activation(name: "leaky-relu:abc") == nil)
    #expect(Activation(name: "swish") == nil)
    #expect(Activation(name: "relu:2") == nil)
}
