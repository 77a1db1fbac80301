import Foundation
import HeraldCore
import Testing

/// The hand-written JSON writer and reader on the message path must agree with Foundation's, byte for byte and
/// value for value, or stored content would change between enqueue and delivery.
@Suite struct JSONTextTests {
    static let awkwardValues = [
        "", "plain", "Grüße — ‘Adult C’ 👋", "👩‍👩‍👧‍👦 family", "quote \" and backslash \\ and slash /",
        "lines\nand\r\nreturns\tand tabs", "bell \u{07} nul \u{00} escape \u{1B} del \u{7F}", "\u{2028}\u{2029}",
    ]

    @Test func writtenObjectsReadBackUnchanged() throws {
        for value in Self.awkwardValues {
            let fields = ["text": value, "subject": "Re: \(value)", value: "as a key"]
            let text = JSONText.object(fields)
            #expect(JSONText.stringObject(text) == fields, "\(text)")
            #expect(try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) == fields)
        }
    }

    /// Stored content is written into webhook bodies at every attempt: the writer's bytes are part of the promise
    /// that a retry sends the same bytes. They are pinned here for every ASCII character and for the awkward values.
    @Test func everyASCIICharacterIsWrittenAsPinned() {
        var expected = ""
        for byte in UInt8(0)..<0x80 {
            switch byte {
            case 0x22: expected += "\\\""
            case 0x5C: expected += "\\\\"
            case 0x0A: expected += "\\n"
            case 0x0D: expected += "\\r"
            case 0x09: expected += "\\t"
            case 0x08: expected += "\\b"
            case 0x0C: expected += "\\f"
            case 0..<0x20: expected += "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            default: expected.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        let all = String(decoding: (UInt8(0)..<0x80).map { $0 }, as: UTF8.self)
        #expect(JSONText.string(all) == "\"" + expected + "\"")
        #expect(JSONText.string("Grüße\n👋") == #""Grüße\n👋""#)
    }

    @Test func readsWhatFoundationWrites() throws {
        let fields = Dictionary(uniqueKeysWithValues: Self.awkwardValues.enumerated().map { ("k\($0.offset)", $0.element) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let text = String(decoding: try encoder.encode(fields), as: UTF8.self)
        #expect(JSONText.stringObject(text) == fields)
    }

    @Test func unicodeEscapesIncludingSurrogatePairs() {
        #expect(JSONText.stringObject(#"{"a":"caf\u00e9 \ud83d\udc4b \u00E9"}"#) == ["a": "café 👋 é"])
        #expect(JSONText.stringObject(#"{}"#) == [:])
        #expect(JSONText.stringObject(" { \"a\" : \"b\" , \"c\":\"d\" } ") == ["a": "b", "c": "d"])
    }

    @Test func anythingButAFlatObjectOfStringsIsRefused() {
        for text in [
            "", "[]", "{", "}", "{\"a\"}", "{\"a\":1}", "{\"a\":null}", "{\"a\":{\"b\":\"c\"}}", "{\"a\":\"b\",}",
            "{\"a\":\"b\"} x", "{\"a\":\"b\" \"c\":\"d\"}", "{\"a\":\"unterminated}", "{\"a\":\"raw\nnewline\"}",
            #"{"a":"bad \q escape"}"#, #"{"a":"\u12"}"#, #"{"a":"\ud83d alone"}"#, #"{"a":"\udc4b low first"}"#, "{'a':'b'}",
        ] {
            #expect(JSONText.stringObject(text) == nil, "\(text)")
        }
    }

    @Test(arguments: ["plain", "quote \" backslash \\ slash /", "line\nbreak\r\ttab", "\u{01}\u{1F}\u{08}\u{0C}", "Grüße — ‘Adult C’ 👋 \u{2028}"])
    func stringsRoundTripThroughAJSONParser(text: String) throws {
        let json = "[" + JSONText.string(text) + "]"
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
        #expect(parsed == [text])
    }

    @Test func objectsHaveSortedKeys() {
        #expect(JSONText.object(["text": "b", "subject": "a"]) == "{\"subject\":\"a\",\"text\":\"b\"}")
    }

    @Test func callerDataIsWrittenCompactWithSortedKeys() throws {
        let data: [String: JSONValue] = ["url": .string("https://a.example/x"), "count": .number(3), "ratio": .number(0.5)]
        #expect(try JSONValue.text(of: data) == "{\"count\":3,\"ratio\":0.5,\"url\":\"https://a.example/x\"}")
    }

    /// Writing `{}` in their place would store data other than what the caller gave.
    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func numbersJSONCannotHoldAreRefused(_ number: Double) {
        #expect(throws: HeraldError.self) { try JSONValue.text(of: ["deep": .array([.object(["n": .number(number)])])]) }
    }
}
