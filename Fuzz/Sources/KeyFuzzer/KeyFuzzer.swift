// Fuzz target: terminal input bytes, cut into chunks arriving after random delays (0 ms to 2.5 s), through the
// key decoder (KeyDecoder: the bytes a terminal or a slow link delivers -> key presses).
// Properties: never traps; never more keys than bytes; nothing pending once every deadline has passed; a deadline
// whenever bytes are pending; chunks that arrive together decode as one chunk would (a split costs nothing).
import FuzzSupport
import Terminal

/// Delays between chunks (ms) a control byte picks from: together, around the escape timeout and the late window.
let delaysMilliseconds = [0, 0, 0, 0, 1, 5, 10, 30, 50, 99, 100, 101, 200, 1000, 1999, 2500]
/// Far beyond every deadline (ms).
let longAfterMilliseconds = 1 << 40

@_cdecl("LLVMFuzzerTestOneInput")
public func keyFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzBytes(data: data, size: size)
    // Each chunk: a control byte (low 4 bits: length 0-15, high 4 bits: delay before it), then its bytes.
    var chunks: [(milliseconds: Int, bytes: [UInt8])] = []
    var now = 0
    while !input.isAtEnd {
        let control = input.byte()
        now += delaysMilliseconds[Int(control >> 4)]
        chunks.append((now, input.take(Int(control & 0x0F))))
    }
    let allBytes = chunks.flatMap(\.bytes)

    var decoder = KeyDecoder()
    var keys: [KeyPress] = []
    for chunk in chunks {
        keys += decoder.feed(chunk.bytes, atMilliseconds: chunk.milliseconds)
        fuzzCheck(!decoder.hasPendingBytes || decoder.deadlineMilliseconds != nil, "bytes pending without a deadline")
    }
    // Resolving may open a new wait (a late tail); a few rounds at ever later times end every one.
    for round in 1...4 { keys += decoder.expire(atMilliseconds: longAfterMilliseconds * round) }
    fuzzCheck(!decoder.hasPendingBytes, "bytes still pending after every deadline")
    fuzzCheck(keys.count <= allBytes.count, "\(keys.count) keys from \(allBytes.count) bytes")

    // The same chunks with no time between them decode exactly as the bytes in one piece.
    var whole = KeyDecoder()
    var wholeKeys = whole.feed(allBytes, atMilliseconds: 0)
    for round in 1...4 { wholeKeys += whole.expire(atMilliseconds: longAfterMilliseconds * round) }
    var split = KeyDecoder()
    var splitKeys: [KeyPress] = []
    for chunk in chunks { splitKeys += split.feed(chunk.bytes, atMilliseconds: 0) }
    for round in 1...4 { splitKeys += split.expire(atMilliseconds: longAfterMilliseconds * round) }
    fuzzCheck(splitKeys == wholeKeys, "split \(splitKeys) != whole \(wholeKeys) for \(allBytes)")
    return 0
}
