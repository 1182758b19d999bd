// Keys from the raw bytes a terminal sends: a pure decoder over a byte stream with arrival times (milliseconds on
// any monotonic clock), shared by the screen, the tests and the fuzzers. No terminal, no clock, no I/O.
//
// Understands UTF-8, control keys, CSI sequences (ESC [ params intermediates final) and SS3 sequences (ESC O x) as
// xterm, rxvt, screen/tmux, the Linux console and the VT100 send them, in normal and application cursor-key mode.
// Rules, so that a slow or jittery link can never turn one key into others:
// - An unknown or foreign sequence (Alt+key, Ctrl+arrow variants we do not bind, focus reports) is dropped whole,
//   never read as the keys its bytes spell.
// - A lone ESC becomes the Escape key after `escapeTimeoutMilliseconds` with nothing after it.
// - Late tail: within `lateSequenceWindowMilliseconds` of a lone ESC, a following `[` or `O` is read as the rest of
//   that escape sequence: an arrow key whose `[A` arrives 1 s after its ESC is the arrow (after an Escape), never
//   `[` (narrower) then `A` (previous activation). If such a tail does not complete within the escape timeout, a
//   lone `[` or `O` is that key (typed by hand after Esc), a longer partial tail is dropped.
// - An incomplete sequence (ESC [ 1 ;) waits up to the late window for its remaining bytes, then is dropped.
// - Any other byte after a lone ESC closes the late window.

/// A stateful, pure decoder of terminal input bytes into key presses.
public struct KeyDecoder: Equatable, Sendable {
    /// Milliseconds a lone ESC waits for a following byte before it is the Escape key.
    public let escapeTimeoutMilliseconds: Int
    /// Milliseconds after a lone ESC during which `[` or `O` is read as the rest of its sequence.
    public let lateSequenceWindowMilliseconds: Int
    /// Longest escape sequence kept (bytes); longer ones are dropped.
    public static let maximumSequenceLength = 64

    /// What the bytes in `pending` are.
    private enum PendingKind: Equatable, Sendable {
        /// Nothing pending.
        case none
        /// An escape sequence that began with a real ESC byte.
        case escape
        /// `[` or `O` after a lone ESC already delivered as Escape: `pending` holds a synthetic ESC in front.
        case lateTail
        /// The first bytes of a multi-byte UTF-8 character; `discard` for Alt+character (dropped when complete).
        case utf8(discard: Bool)
        /// The rest of a sequence longer than `maximumSequenceLength`: dropped up to its final byte.
        case discardingSequence
    }

    private var pending: [UInt8] = []
    private var pendingKind = PendingKind.none
    private var pendingStartedAt = 0
    /// When the last lone ESC arrived (delivered as Escape): its late-tail window is open until + window.
    private var loneEscapeArrivedAt: Int?

    /// A decoder with the given timeouts (milliseconds, >= 0).
    public init(escapeTimeoutMilliseconds: Int = 100, lateSequenceWindowMilliseconds: Int = 2000) {
        self.escapeTimeoutMilliseconds = max(0, escapeTimeoutMilliseconds)
        self.lateSequenceWindowMilliseconds = max(0, lateSequenceWindowMilliseconds)
    }

    /// True while bytes of an unfinished sequence or character are held back.
    public var hasPendingBytes: Bool { pendingKind != .none }

    /// When `expire(atMilliseconds:)` must be called if no byte arrives before (nil when nothing is pending).
    public var deadlineMilliseconds: Int? {
        switch pendingKind {
        case .none: return nil
        case .escape:
            return pendingStartedAt + (pending.count == 1 ? escapeTimeoutMilliseconds : lateSequenceWindowMilliseconds)
        case .discardingSequence: return pendingStartedAt + lateSequenceWindowMilliseconds
        case .lateTail, .utf8: return pendingStartedAt + escapeTimeoutMilliseconds
        }
    }

    /// Decodes `bytes` that arrived at `now` (ms); first resolves whatever timed out before they arrived.
    /// Returns the keys completed, oldest first.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes, atMilliseconds now: Int) -> [KeyPress]
        where Bytes.Element == UInt8 {
        var keys = expire(atMilliseconds: now)
        for byte in bytes { process(byte, at: now, into: &keys) }
        return keys
    }

    /// Resolves pending bytes whose time is up at `now` (ms): a lone ESC becomes Escape, a stale partial sequence
    /// or character is dropped, a late `[`/`O` alone is that key. Returns the keys completed.
    public mutating func expire(atMilliseconds now: Int) -> [KeyPress] {
        guard let deadline = deadlineMilliseconds, now >= deadline else { return [] }
        var keys: [KeyPress] = []
        switch pendingKind {
        case .escape where pending.count == 1:
            keys.append(.escape)
            loneEscapeArrivedAt = pendingStartedAt
        case .lateTail where pending.count == 2:
            if let key = Self.singleByteKey(pending[1]) { keys.append(key) }
        default:
            break
        }
        clearPending()
        return keys
    }

    /// Decodes a whole timed stream: each chunk fed at its time, then everything pending resolved at `end`
    /// (default: after every timeout). For tests and fuzzing.
    public static func decode(_ chunks: [(milliseconds: Int, bytes: [UInt8])], endMilliseconds: Int? = nil,
                              escapeTimeoutMilliseconds: Int = 100,
                              lateSequenceWindowMilliseconds: Int = 2000) -> [KeyPress] {
        var decoder = KeyDecoder(escapeTimeoutMilliseconds: escapeTimeoutMilliseconds,
                                 lateSequenceWindowMilliseconds: lateSequenceWindowMilliseconds)
        var keys: [KeyPress] = []
        var last = 0
        for chunk in chunks {
            last = max(last, chunk.milliseconds)
            keys += decoder.feed(chunk.bytes, atMilliseconds: chunk.milliseconds)
        }
        let end = endMilliseconds ?? (last + escapeTimeoutMilliseconds + lateSequenceWindowMilliseconds + 1)
        keys += decoder.expire(atMilliseconds: end)
        return keys
    }

    // MARK: the state machine

    private mutating func clearPending() {
        pending.removeAll(keepingCapacity: true)
        pendingKind = .none
    }

    private mutating func process(_ byte: UInt8, at now: Int, into keys: inout [KeyPress]) {
        switch pendingKind {
        case .none:
            processInGround(byte, at: now, into: &keys)
        case .escape, .lateTail:
            pending.append(byte)
            resolveSequence(at: now, into: &keys)
        case .discardingSequence:
            if (0x20...0x3F).contains(byte) { return }             // more parameters: still the runaway sequence
            clearPending()
            if !(0x40...0x7E).contains(byte) { processInGround(byte, at: now, into: &keys) }  // its final byte goes too
        case .utf8(let discard):
            guard byte & 0xC0 == 0x80 else {  // not a continuation byte: the character was cut short
                clearPending()
                processInGround(byte, at: now, into: &keys)
                return
            }
            pending.append(byte)
            guard pending.count == Self.utf8Length(lead: pending[0]) else { return }
            if !discard, let key = Self.characterKey(utf8: pending) { keys.append(key) }
            clearPending()
        }
    }

    private mutating func processInGround(_ byte: UInt8, at now: Int, into keys: inout [KeyPress]) {
        if let escapeAt = loneEscapeArrivedAt {
            loneEscapeArrivedAt = nil
            if (byte == 0x5B || byte == 0x4F) && now - escapeAt <= lateSequenceWindowMilliseconds {
                pending = [0x1B, byte]; pendingKind = .lateTail; pendingStartedAt = now
                return
            }
        }
        if byte == 0x1B {
            pending = [byte]; pendingKind = .escape; pendingStartedAt = now
        } else if byte >= 0x80 {
            startCharacter(byte, discard: false, at: now, into: &keys)
        } else if let key = Self.singleByteKey(byte) {
            keys.append(key)
        }
    }

    /// Starts a multi-byte UTF-8 character at `lead` (a stray continuation or invalid lead is dropped).
    private mutating func startCharacter(_ lead: UInt8, discard: Bool, at now: Int, into keys: inout [KeyPress]) {
        let length = Self.utf8Length(lead: lead)
        guard length > 1 else { return }
        pending = [lead]; pendingKind = .utf8(discard: discard); pendingStartedAt = now
    }

    /// Parses `pending` (an escape sequence) after a byte was appended.
    private mutating func resolveSequence(at now: Int, into keys: inout [KeyPress]) {
        switch Self.parseSequence(pending) {
        case .incomplete:
            if pending.count > Self.maximumSequenceLength {
                pending.removeAll(keepingCapacity: true)
                pendingKind = .discardingSequence
            }
        case .complete(let key, let length):
            if let key { keys.append(key) }
            let rest = Array(pending[length...])
            clearPending()
            for byte in rest { process(byte, at: now, into: &keys) }
        case .altCharacter(let lead):
            clearPending()
            startCharacter(lead, discard: true, at: now, into: &keys)
        case .invalid(let length):
            let rest = Array(pending[length...])
            clearPending()
            for byte in rest { process(byte, at: now, into: &keys) }
        }
    }

    /// The result of parsing bytes that start with ESC.
    enum SequenceParse: Equatable {
        /// More bytes are needed.
        case incomplete
        /// The first `length` bytes form a sequence: `key`, or nil for one we ignore.
        case complete(KeyPress?, length: Int)
        /// ESC then the lead byte of a multi-byte UTF-8 character (Alt+character): the character is dropped too.
        case altCharacter(lead: UInt8)
        /// The first `length` bytes are a broken sequence (dropped); the rest is read again.
        case invalid(length: Int)
    }

    /// Parses `bytes` (bytes[0] == ESC) as one escape sequence.
    static func parseSequence(_ bytes: [UInt8]) -> SequenceParse {
        guard bytes.count >= 2 else { return .incomplete }
        let introducer = bytes[1]
        switch introducer {
        case 0x1B:  // ESC ESC: the first is the Escape key, the second starts again
            return .complete(.escape, length: 1)
        case 0x5B:  // CSI
            guard bytes.count >= 3 else { return .incomplete }
            if bytes[2] == 0x5B {  // Linux console F1-F5: ESC [ [ A...E
                guard bytes.count >= 4 else { return .incomplete }
                let final = bytes[3]
                guard (0x20...0x7E).contains(final) else { return .invalid(length: 3) }
                return .complete((0x41...0x45).contains(final) ? .function(Int(final) - 0x40) : nil, length: 4)
            }
            var index = 2
            while index < bytes.count {
                let byte = bytes[index]
                if (0x20...0x3F).contains(byte) { index += 1; continue }   // parameters and intermediates
                if (0x40...0x7E).contains(byte) {
                    return .complete(csiKey(parameters: Array(bytes[2..<index]), final: byte), length: index + 1)
                }
                return .invalid(length: index)  // a control byte, DEL or non-ASCII inside: broken
            }
            return .incomplete
        case 0x4F:  // SS3
            guard bytes.count >= 3 else { return .incomplete }
            guard (0x20...0x7E).contains(bytes[2]) else { return .invalid(length: 2) }
            return .complete(ss3Key(bytes[2]), length: 3)
        case 0x80...:
            return utf8Length(lead: introducer) > 1 ? .altCharacter(lead: introducer) : .complete(nil, length: 2)
        default:  // Alt + an ASCII key or control key: ignored
            return .complete(nil, length: 2)
        }
    }

    /// The key of CSI `parameters` `final`; modifiers (ESC [ 1 ; 5 A) are ignored, private forms are nil.
    static func csiKey(parameters: [UInt8], final: UInt8) -> KeyPress? {
        // Private markers (< = > ?) and intermediates (0x20-0x2F) are reports and modes, not keys.
        if parameters.contains(where: { (0x3C...0x3F).contains($0) || (0x20...0x2F).contains($0) }) { return nil }
        let fields = parameters.split(separator: 0x3B, omittingEmptySubsequences: false)
        let first = fields.first.flatMap { field -> Int? in
            guard !field.isEmpty, field.count <= 4, field.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return field.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        switch final {
        case 0x41: return .up      // A
        case 0x42: return .down    // B
        case 0x43: return .right   // C
        case 0x44: return .left    // D
        case 0x48: return .home    // H
        case 0x46: return .end     // F
        case 0x5A: return .backTab // Z
        case 0x50...0x53: return .function(Int(final) - 0x4F)  // P Q R S: F1-F4 (with modifiers)
        case 0x7E:  // ~
            switch first {
            case 1, 7: return .home
            case 4, 8: return .end
            case 5: return .pageUp
            case 6: return .pageDown
            case .some(let n) where (11...15).contains(n): return .function(n - 10)
            case .some(let n) where (17...21).contains(n): return .function(n - 11)
            case 23: return .function(11)
            case 24: return .function(12)
            default: return nil
            }
        default: return nil
        }
    }

    /// The key of SS3 `final` (application cursor-key and keypad mode).
    static func ss3Key(_ final: UInt8) -> KeyPress? {
        switch final {
        case 0x41: return .up
        case 0x42: return .down
        case 0x43: return .right
        case 0x44: return .left
        case 0x48: return .home
        case 0x46: return .end
        case 0x4D: return .enter
        case 0x50...0x53: return .function(Int(final) - 0x4F)
        default: return nil
        }
    }

    /// The key of one ASCII byte outside any sequence; nil for bytes we ignore (NUL, Ctrl-\ ] ^ _, ESC).
    static func singleByteKey(_ byte: UInt8) -> KeyPress? {
        switch byte {
        case 3: return .interrupt
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 1...26: return .control(Character(Unicode.Scalar(byte + 0x60)))
        case 0x20...0x7E: return .character(Character(Unicode.Scalar(byte)))
        default: return nil
        }
    }

    /// Bytes in the UTF-8 character that `lead` starts (1 for ASCII; 0 for a continuation or invalid lead).
    static func utf8Length(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }

    /// A printable character from complete UTF-8 bytes; nil when invalid or not printable (C1 controls).
    static func characterKey(utf8 bytes: [UInt8]) -> KeyPress? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator), iterator.next() == nil,
              scalar.value >= 0xA0 else { return nil }
        return .character(Character(scalar))
    }
}
