// `initscope bench` output: median/min/max seconds per phase, GEMM GFLOP/s, peak RSS, other load; text or JSON.
import Foundation
import SignalFlow

/// Machine-load and memory figures from /proc and getrusage (same definitions as ../shared/bench/common.py).
enum LoadMeter {
    /// (wall seconds, busy CPU seconds of the whole machine, CPU seconds of this process).
    static func snapshot() -> (wall: Double, busy: Double, own: Double) {
        var busy = 0.0
        if let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
           let line = text.split(separator: "\n").first {
            let v = line.split(separator: " ").dropFirst().prefix(8).compactMap { Double($0) }
            if v.count == 8 { busy = (v.reduce(0, +) - v[3] - v[4]) / Double(sysconf(Int32(_SC_CLK_TCK))) }
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let own = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
        return (BenchWorkload.now(), busy, own)
    }

    /// Cores used on average by other processes since `since`.
    static func otherLoad(since: (wall: Double, busy: Double, own: Double)) -> Double {
        let end = snapshot()
        return ((end.busy - since.busy) - (end.own - since.own)) / Swift.max(end.wall - since.wall, 1e-9)
    }

    /// Peak resident set size in MiB.
    static func peakRSSMebibytes() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// The figures of one bench run.
struct BenchResult {
    let scenario: Scenario
    let plan: BenchPlan
    let threads: Int
    let passes: [BenchPhases]
    let gemmAloneSeconds: [Double]
    /// GEMM flops of one pass (the engine's products: 3L - 1 of 2 B n^2 with weight gradients).
    let flopsPerPass: Double
    let peakRSSMebibytes: Double
    let otherLoadCores: Double
    let check: [String: Double]

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Rows of the report: the engine's phases, what is left, the whole pass.
    var rows: [(String, [Double])] {
        [("init", passes.map(\.phases.initialization)), ("gemm", passes.map(\.phases.gemm)),
         ("phi", passes.map(\.phases.elementwise)), ("calibrate", passes.map(\.phases.calibration)),
         ("fwd+bwd", passes.map(\.propagation)), ("stats", passes.map(\.phases.statistics)),
         ("other", passes.map(\.other)), ("total", passes.map(\.total)), ("gemm alone", gemmAloneSeconds)]
    }

    /// Median pass time over median GEMM-alone time (goal: at most 1.25).
    var passOverGEMM: Double { Self.median(passes.map(\.total)) / Self.median(gemmAloneSeconds) }
    /// GFLOP/s over the time spent inside GEMM calls during the passes.
    var gflopsInPass: Double { flopsPerPass / Self.median(passes.map(\.phases.gemm)) / 1e9 }
    /// GFLOP/s of the same GEMMs run alone.
    var gflopsAlone: Double { flopsPerPass / Self.median(gemmAloneSeconds) / 1e9 }

    func text() -> String {
        var out = "# initscope: L=\(scenario.depth) n=\(scenario.width) B=\(scenario.batch) act=\(scenario.activation.name) "
            + "plan=\(plan.rawValue) repeats=\(passes.count) threads=\(threads)"
            + (scenario.architecture == .mlp ? "" : " arch=\(scenario.architecture.name)")
            + (scenario.architecture.transformer.map { " T=\($0.tokens) H=\($0.heads)" } ?? "") + "\n"
        for (name, values) in rows {
            let label = String(repeating: " ", count: Swift.max(0, 10 - name.count)) + name
            out += label + String(format: "  median %9.4f s   min %9.4f   max %9.4f\n",
                                  Self.median(values), values.min() ?? .nan, values.max() ?? .nan)
        }
        out += String(format: "pass / its GEMMs alone: %.3f  (goal <= 1.25; %.2f GFLOP per pass)\n", passOverGEMM, flopsPerPass / 1e9)
        out += String(format: "GEMM GFLOP/s inside the pass: %7.1f; alone: %7.1f  (in-pass / alone = %.0f%%)\n",
                      gflopsInPass, gflopsAlone, 100 * gflopsInPass / gflopsAlone)
        out += "check: " + check.keys.sorted().map { String(format: "%@=%.4g", $0 as NSString, check[$0]!) }.joined(separator: " ") + "\n"
        out += String(format: "peak RSS: %.0f MiB; other processes used %.2f of %d cores meanwhile\n",
                      peakRSSMebibytes, otherLoadCores, ProcessInfo.processInfo.activeProcessorCount)
        return out
    }

    func json() -> String {
        func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
        func object(_ pick: ([Double]) -> Double) -> String {
            "{" + rows.map { "\"\($0.0)\":\(number(pick($0.1)))" }.joined(separator: ",") + "}"
        }
        var fields = ["\"impl\":\"initscope\"", "\"L\":\(scenario.depth)", "\"n\":\(scenario.width)", "\"B\":\(scenario.batch)",
                      "\"act\":\"\(scenario.activation.name)\"", "\"plan\":\"\(plan.rawValue)\"", "\"threads\":\(threads)"]
        if let options = scenario.architecture.residual {
            fields.append("\"arch\":\"\(scenario.architecture.name)\"")
            fields.append("\"norm\":\"\(options.normalization.rawValue)\"")
        }
        if let options = scenario.architecture.transformer {
            fields.append("\"arch\":\"transformer\"")
            fields.append("\"T\":\(options.tokens)")
            fields.append("\"H\":\(options.heads)")
            fields.append("\"normPosition\":\"\(options.position.rawValue)\"")
        }
        fields.append("\"median\":" + object(Self.median))
        fields.append("\"min\":" + object { $0.min() ?? .nan })
        fields.append("\"max\":" + object { $0.max() ?? .nan })
        fields.append("\"pass_over_gemm\":\(number(passOverGEMM))")
        fields.append("\"gflops_gemm_in_pass\":\(number(gflopsInPass))")
        fields.append("\"gflops_gemm_only\":\(number(gflopsAlone))")
        fields.append("\"check\":{" + check.keys.sorted().map { "\"\($0)\":\(number(check[$0]!))" }.joined(separator: ",") + "}")
        fields.append("\"peak_rss_mib\":\(number(peakRSSMebibytes))")
        fields.append("\"other_load\":\(number(otherLoadCores))")
        return "{" + fields.joined(separator: ",") + "}"
    }
}
