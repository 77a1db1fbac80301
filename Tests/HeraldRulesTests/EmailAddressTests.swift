import HeraldCore
import Testing

/// Addresses come from channels.yml and API requests and end up in headers and the SMTP envelope, so anything that
/// could add a header line or an extra recipient must be refused before it gets there.
@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("a@b.org", nil, "a@b.org"),
        (" \t<a@b.org>\t ", nil, "a@b.org"),
        ("Name <a@b.org>", "Name", "a@b.org"),
        ("Name<a@b.org>", "Name", "a@b.org"),
        ("\"Name, Quoted \\\"x\\\"\" <a@b.org>", "Name, Quoted \"x\"", "a@b.org"),
        ("\"Q, Name\" <a@b.org>", "Q, Name", "a@b.org"),
        ("\"back\\\\slash\"<a@b.org>", "back\\slash", "a@b.org"),
        ("\"\" <a@b.org>", nil, "a@b.org"),
        ("Zoë Müller <zoe@example.test>", "Zoë Müller", "zoe@example.test"),
        ("山田 太郎 <taro@example.jp>", "山田 太郎", "taro@example.jp"),
        ("first.last+tag@mail.example.co.uk", nil, "first.last+tag@mail.example.co.uk"),
        ("o'brien!#$%&*/=?^_`{|}~-@x-1.example", nil, "o'brien!#$%&*/=?^_`{|}~-@x-1.example"),
        ("ops@localhost", nil, "ops@localhost"),
    ] as [(String, String?, String)])
    func parsesWhatPeopleWrite(text: String, displayName: String?, address: String) throws {
        let parsed = try EmailAddress.parse(text)
        #expect(parsed.displayName == displayName)
        #expect(parsed.address == address)
        #expect(parsed == (try EmailAddress(displayName: displayName, address: address)))
    }

    @Test(arguments: [
        ("a@b.org\r\nBcc: x@y.org", "contains a line break"),
        ("Eve <a@b.org>\nBcc: x@y.org", "contains a line break"),
        ("a@b.org\r", "contains a line break"),
        ("", "is empty"),
        (" \t ", "is empty"),
        ("a b@c.org", "\"a b@c.org\" contains a space"),
        ("<a@b.org", "\"<a@b.org\" has a '<' without a closing '>'"),
        ("a@b.org>", "without an opening '<'"),
        ("Name <a@b.org> extra", "has text after the closing '>'"),
        ("A <a@b.org>, B <b@c.org>", "has more than one '<'"),
        ("Name <<a@b.org>>", "has more than one '<'"),
        ("\"Name <a@b.org>", "no closing quote"),
        ("\"Name\" x <a@b.org>", "has text after the quoted display name"),
        ("Say \"hi\" <a@b.org>", "put the name in double quotes"),
        ("a@b", "\"a@b\" has a domain without a dot"),
        ("ab.org", "has no @"),
        ("a@b@c.org", "has more than one @"),
        ("@b.org", "has nothing before the @"),
        ("a@", "has nothing after the @"),
        (".a@b.org", "dot at the start or end"),
        ("a..b@c.org", "two dots in a row"),
        ("a.@b.org", "dot at the start or end"),
        ("a@b..org", "empty part between dots"),
        ("a@-b.org", "starts or ends with a hyphen"),
        ("a@b-.org", "starts or ends with a hyphen"),
        ("a@b_c.org", "characters other than letters, digits, hyphens and dots"),
        ("a,b@c.org", "contains ','"),
        ("<a;b@c.org>", "contains ';'"),
        ("zoë@example.org", "non-ASCII"),
        ("a\u{0}b@c.org", "control character"),
        (String(repeating: "x", count: 65) + "@b.org", "more than 64 characters before the @"),
        ("a@" + String(repeating: "x", count: 64) + ".org", "domain part longer than 63"),
        ("a@" + String(repeating: "abcdefghi.", count: 30) + "org", "is longer than 254 characters"),
    ])
    func refusesMalformedText(text: String, problem: String) throws {
        let error = try #require(throws: HeraldError.self) { try EmailAddress.parse(text) }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains(problem), "\(error.message)")
        #expect(error.message.hasSuffix("Write it as name@example.org or Name <name@example.org>."))
        #expect(!error.message.contains("\r") && !error.message.contains("\n"))
    }

    @Test func refusalsQuoteAtMostEightyCharacters() throws {
        let address = String(repeating: "a", count: 60) + "@" + String(repeating: "example.", count: 30) + "org"
        let error = try #require(throws: HeraldError.self) { try EmailAddress.parse(address) }
        #expect(error.message.contains("\"" + String(address.prefix(79)) + "…\""), "\(error.message)")
        #expect(!error.message.contains(address))
    }

    @Test(arguments: ["Eve\r\nBcc: x@y.org", "Eve\nBcc", "Eve\r"])
    func refusesLineBreaksInDisplayNames(name: String) throws {
        let error = try #require(throws: HeraldError.self) { try EmailAddress(displayName: name, address: "a@b.org") }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("display name") && error.message.contains("line break"), "\(error.message)")
    }

    @Test(arguments: ["bell\u{07}", "tab\there", "ne\u{85}l", "del\u{7F}"])
    func refusesControlCharactersInDisplayNames(name: String) throws {
        let error = try #require(throws: HeraldError.self) { try EmailAddress(displayName: name, address: "a@b.org") }
        #expect(error.message.contains("display name") && error.message.contains("control character"), "\(error.message)")
    }

    @Test(arguments: ["Invoice\u{202E}fdp.exe", "\u{2067}Ops\u{2069}", "mark\u{200F}"])
    func refusesTextDirectionControlsInDisplayNames(name: String) throws {
        let error = try #require(throws: HeraldError.self) { try EmailAddress.parse("\(name) <a@b.org>") }
        #expect(error.message.contains("text-direction control"), "\(error.message)")
    }

    @Test func addressGivenToTheInitializerIsCheckedToo() throws {
        #expect(throws: HeraldError.self) { try EmailAddress(displayName: "Name", address: "<a@b.org>") }
        #expect(throws: HeraldError.self) { try EmailAddress(address: "a@b.org\r\nBcc: x@y.org") }
        #expect(throws: HeraldError.self) { try EmailAddress(address: "") }
    }

    @Test(arguments: [
        (nil, nil), ("", nil), ("  \t ", nil), ("  Ann  ", "Ann"), ("\tAnn\t", "Ann"), ("Ann\u{2028}", "Ann"), ("Zoë", "Zoë"),
    ] as [(String?, String?)])
    func blankDisplayNamesBecomeNil(name: String?, kept: String?) throws {
        #expect(try EmailAddress(displayName: name, address: "a@b.org").displayName == kept)
    }

    @Test(arguments: [
        ("\"Q, Name\" <a@b.org>", "Q, Name <a@b.org>"),
        ("<a@b.org>", "a@b.org"),
        ("Zoë Müller <zoe@example.test>", "Zoë Müller <zoe@example.test>"),
        ("back\\slash <a@b.org>", "back\\slash <a@b.org>"),
        ("\"Say \\\"hi\\\" \\\\ now\" <a@b.org>", "\"Say \\\"hi\\\" \\\\ now\" <a@b.org>"),
        ("\"A <b>\" <a@b.org>", "\"A <b>\" <a@b.org>"),
    ])
    func descriptionIsForPeopleAndParsesBack(text: String, description: String) throws {
        let address = try EmailAddress.parse(text)
        #expect(address.description == description)
        #expect(try EmailAddress.parse(address.description) == address)
    }
}
