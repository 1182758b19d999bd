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
    let threads: Int
    let passes: [BenchPhases]
    let gemmAloneSeconds: [Double]
    let peakRSSMebibytes: Double
    let otherLoadCores: Double
    let check: [String: Double]

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// GEMM flops of one pass: 3 GEMMs of 2 B n n per layer (uniform width).
    var flopsPerPass: Double {
        var total = 0.0
        for l in 1...scenario.depth {
            total += 3 * GEMM.flops(m: scenario.batch, n: scenario.widths[l], k: scenario.widths[l - 1])
        }
        return total
    }

    var rows: [(String, [Double])] {
        [("init", passes.map(\.initialization)), ("forward", passes.map(\.forward)), ("backward", passes.map(\.backward)),
         ("stats", passes.map(\.statistics)), ("total", passes.map(\.total))]
    }

    /// GFLOP/s over forward + backward time (as the reference reports it).
    var gflopsForwardBackward: Double { flopsPerPass / Self.median(passes.map { $0.forward + $0.backward }) / 1e9 }
    /// GFLOP/s over the time spent inside GEMM calls during the passes.
    var gflopsInPass: Double { flopsPerPass / Self.median(passes.map(\.gemm)) / 1e9 }
    /// GFLOP/s of the same GEMMs run alone.
    var gflopsAlone: Double { flopsPerPass / Self.median(gemmAloneSeconds) / 1e9 }

    func text() -> String {
        var out = "# initscope: L=\(scenario.depth) n=\(scenario.width) B=\(scenario.batch) act=\(scenario.activation.name) "
            + "repeats=\(passes.count) threads=\(threads)\n"
        for (name, values) in rows {
            let label = String(repeating: " ", count: Swift.max(0, 9 - name.count)) + name
            out += label + String(format: "  median %9.4f s   min %9.4f   max %9.4f\n",
                                  Self.median(values), values.min() ?? .nan, values.max() ?? .nan)
        }
        out += String(format: "GEMM GFLOP/s over forward+backward time: %7.1f  (%.2f GFLOP per pass)\n",
                      gflopsForwardBackward, flopsPerPass / 1e9)
        out += String(format: "GEMM GFLOP/s inside the pass:            %7.1f\n", gflopsInPass)
        out += String(format: "GEMM GFLOP/s, cblas_sgemm alone:         %7.1f  (in-pass / alone = %.0f%%)\n",
                      gflopsAlone, 100 * gflopsInPass / gflopsAlone)
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
                      "\"act\":\"\(scenario.activation.name)\"", "\"threads\":\(threads)"]
        fields.append("\"median\":" + object(Self.median))
        fields.append("\"min\":" + object { $0.min() ?? .nan })
        fields.append("\"max\":" + object { $0.max() ?? .nan })
        fields.append("\"gflops_fwd_bwd\":\(number(gflopsForwardBackward))")
        fields.append("\"gflops_gemm_in_pass\":\(number(gflopsInPass))")
        fields.append("\"gflops_gemm_only\":\(number(gflopsAlone))")
        fields.append("\"check\":{" + check.keys.sorted().map { "\"\($0)\":\(number(check[$0]!))" }.joined(separator: ",") + "}")
        fields.append("\"peak_rss_mib\":\(number(peakRSSMebibytes))")
        fields.append("\"other_load\":\(number(otherLoadCores))")
        return "{" + fields.joined(separator: ",") + "}"
    }
}
