import Foundation
import HeraldConfig
import HeraldCore
import Testing

@Suite struct TemplateLibraryTests {
    /// Writes `files` (path → text) under a new temporary templates folder and opens it.
    func library(_ files: [String: String]) throws -> (TemplateLibrary, URL) {
        let root = try ConfigTestSupport.temporaryDirectory("herald-templates")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return (try TemplateLibrary(directory: root.path), root)
    }

    /// The message of the template error `body` raises, or a marker if it does not.
    func templateError(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch let error as HeraldError {
            return error.code == .template ? error.message : "wrong code \(error.code): \(error.message)"
        } catch {
            return "not a HeraldError: \(error)"
        }
    }

    @Test func rendersEveryPartWithNonASCIIData() throws {
        let (templates, root) = try library([
            "notice/subject.mustache": "Review {{reference}}: {{title}}\n",
            "notice/text.mustache": "Dear {{name}},\n{{title}} & more. Count {{count}}, ratio {{ratio}}.\n",
            "notice/html.mustache": "<p>{{title}}</p><p>{{{trusted}}}{{&trusted}}</p>",
            "notice/post.mustache": "{{name}} <{{reference}}>",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let rendered = try templates.render(
            template: "notice",
            data: [
                "reference": .string("CSPR-7"), "title": .string("Grüße <‘Adult C’> \"Ω\" 👋"), "name": .string("Zoë O'Brien"),
                "count": .number(3), "ratio": .number(2.5), "trusted": .string("<b>ok</b>"),
            ]
        )
        #expect(rendered["subject"] == "Review CSPR-7: Grüße <‘Adult C’> \"Ω\" 👋")
        #expect(rendered["text"] == "Dear Zoë O'Brien,\nGrüße <‘Adult C’> \"Ω\" 👋 & more. Count 3, ratio 2.5.\n")
        #expect(rendered["html"] == "<p>Grüße &lt;‘Adult C’&gt; &quot;Ω&quot; 👋</p><p><b>ok</b><b>ok</b></p>")
        #expect(rendered["post"] == "Zoë O'Brien <CSPR-7>")
    }

    /// A post is one piece of text: the newline that ends its file is not part of it. A network's own variant stands in
    /// for the shared post on that network only.
    @Test func aPostLosesItsFilesFinalNewlineAndANetworkVariantStandsInForIt() throws {
        let (templates, root) = try library([
            "week/post.mustache": "Awareness week: {{link}}\n",
            "week/post.x.mustache": "Week {{link}}\n\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let data: [String: JSONValue] = ["link": .string("https://example.org/w")]
        #expect(try templates.render(template: "week", data: data)["post"] == "Awareness week: https://example.org/w")
        #expect(try templates.render(template: "week", data: data, network: "mastodon")["post"] == "Awareness week: https://example.org/w")
        #expect(try templates.render(template: "week", data: data, network: "x")["post"] == "Week https://example.org/w")
    }

    @Test func onlyThePartsPresentAreRendered() throws {
        let (templates, root) = try library(["notice/text.mustache": "Hi", "notice/notes.txt": "{{ignored}}"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try templates.render(template: "notice", data: [:]) == ["text": "Hi"])
    }

    @Test func nullRendersAsNothingAndCountsAsFalse() throws {
        let (templates, root) = try library(["notice/text.mustache": "[{{note}}]{{#note}}has note{{/note}}{{^note}}no note{{/note}}"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try templates.render(template: "notice", data: ["note": .null])["text"] == "[]no note")
    }

    @Test func aMissingVariableIsNamedAndNothingIsRendered() throws {
        let (templates, root) = try library([
            "notice/subject.mustache": "Hello {{name}}",
            "notice/text.mustache": "Hello {{name}}, see {{link}}.",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let message = templateError { _ = try templates.render(template: "notice", data: ["name": .string("A")]) }
        #expect(message.contains("'link'"), "\(message)")
        #expect(message.contains(root.appendingPathComponent("notice/text.mustache").path), "\(message)")
    }

    @Test(arguments: [
        ("{{{raw}}}", "raw"), ("{{& amp}}", "amp"), ("{{ spaced }}", "spaced"), ("{{review.reference}}", "review.reference"),
        ("{{uppercased(shout)}}", "shout"), ("{{#people}}{{name}}{{/people}}", "name"),
    ])
    func everyKindOfVariableTagIsChecked(template: String, missing: String) throws {
        let (templates, root) = try library(["notice/text.mustache": template])
        defer { try? FileManager.default.removeItem(at: root) }
        let data: [String: JSONValue] = ["review": .object(["title": .string("T")]), "people": .array([.object(["role": .string("x")])])]
        let message = templateError { _ = try templates.render(template: "notice", data: data) }
        #expect(message.contains("'\(missing)'"), "\(message)")
    }

    @Test func sectionsResolveAgainstTheirElementOrTheOuterData() throws {
        let (templates, root) = try library([
            "list/text.mustache": "{{#people}}{{name}} of {{team}}{{#manager}} (reports to {{manager.name}}){{/manager}}; {{/people}}{{review.title}}",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let people: JSONValue = .array([
            .object(["name": .string("Åsa"), "manager": .object(["name": .string("Bo")])]), .object(["name": .string("Cy")]),
        ])
        let rendered = try templates.render(
            template: "list", data: ["team": .string("Comms"), "people": people, "review": .object(["title": .string("R")])]
        )
        #expect(rendered["text"] == "Åsa of Comms (reports to Bo); Cy of Comms; R")

        let message = templateError { _ = try templates.render(template: "list", data: ["people": people, "review": .object([:])]) }
        #expect(message.contains("'team'"), "\(message)")
    }

    @Test func everyElementOfAListIsChecked() throws {
        let (templates, root) = try library(["list/text.mustache": "{{#people}}{{name}};{{/people}}"])
        defer { try? FileManager.default.removeItem(at: root) }
        let message = templateError {
            _ = try templates.render(template: "list", data: ["people": .array([.object(["name": .string("A")]), .object([:])])])
        }
        #expect(message.contains("'name'"), "\(message)")
    }

    @Test func absentSectionNamesAreNotErrors() throws {
        let (templates, root) = try library([
            "notice/text.mustache": "{{^extra}}no extra{{/extra}}{{#missing}}{{nowhere}}{{/missing}}{{^flag}}{{absent}}{{/flag}}{{! reads {{ghost }}",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try templates.render(template: "notice", data: ["flag": .bool(true)])["text"] == "no extra")
        // With the flag false the inverted section renders, so what it reads must be there.
        let message = templateError { _ = try templates.render(template: "notice", data: ["flag": .bool(false)]) }
        #expect(message.contains("'absent'"), "\(message)")
    }

    @Test func unknownTemplatesNameTheFolderLookedIn() throws {
        let (templates, root) = try library(["notice/text.mustache": "x"])
        defer { try? FileManager.default.removeItem(at: root) }
        let message = templateError { _ = try templates.render(template: "nope", data: [:]) }
        #expect(message.contains("There is no template 'nope'"), "\(message)")
        #expect(message.contains(root.appendingPathComponent("nope").path), "\(message)")
    }

    @Test(arguments: ["../notice", "..", ".", "notice/../notice", "/etc", "no tice", "notice.v2", ""])
    func unsafeTemplateNamesAreRefused(name: String) throws {
        let (templates, root) = try library(["notice/text.mustache": "x"])
        defer { try? FileManager.default.removeItem(at: root) }
        let message = templateError { _ = try templates.render(template: name, data: [:]) }
        #expect(message.contains("is not a template name"), "\(message)")
    }

    @Test func aFolderWithNoPartsIsRefused() throws {
        let (templates, root) = try library(["empty/readme.txt": "nothing here"])
        defer { try? FileManager.default.removeItem(at: root) }
        let message = templateError { _ = try templates.render(template: "empty", data: [:]) }
        #expect(message.contains(root.appendingPathComponent("empty").path), "\(message)")
        #expect(message.contains("holds no part"), "\(message)")
    }

    @Test func aSubjectThatRendersALineBreakIsRefused() throws {
        let (templates, root) = try library(["notice/subject.mustache": "Hello {{name}} there\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let message = templateError { _ = try templates.render(template: "notice", data: ["name": .string("A\r\nBcc: x@y")]) }
        #expect(message.contains("line break"), "\(message)")
        #expect(try templates.render(template: "notice", data: ["name": .string("A")])["subject"] == "Hello A there")
    }

    @Test func checkCompilesEveryTemplateAndListsTheKinds() throws {
        let (good, goodRoot) = try library(["notice/text.mustache": "{{a}}", "reminder/subject.mustache": "{{b}}"])
        defer { try? FileManager.default.removeItem(at: goodRoot) }
        #expect(try good.check() == ["notice", "reminder"])
        #expect(good.kinds == ["notice", "reminder"])

        let (broken, brokenRoot) = try library([
            "fine/text.mustache": "ok", "broken/html.mustache": "<p>\n{{#open}} never {{/shut}}\n</p>",
        ])
        defer { try? FileManager.default.removeItem(at: brokenRoot) }
        let message = templateError { _ = try broken.check() }
        #expect(message.contains(brokenRoot.appendingPathComponent("broken/html.mustache").path), "\(message)")
        #expect(message.contains("line 2"), "\(message)")
    }

    @Test func anUnclosedSectionIsReported() throws {
        let (templates, root) = try library(["broken/text.mustache": "{{#open}} never closed"])
        defer { try? FileManager.default.removeItem(at: root) }
        let message = templateError { _ = try templates.render(template: "broken", data: ["open": .bool(true)]) }
        #expect(message.contains("broken/text.mustache"), "\(message)")
    }

    @Test func aMissingFolderSaysToUseTemplates() {
        let message = templateError { _ = try TemplateLibrary(directory: "/nonexistent/templates") }
        #expect(message.contains("/nonexistent/templates"), "\(message)")
        #expect(message.contains("--templates"), "\(message)")
    }
}
