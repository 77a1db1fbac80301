import Foundation
import HeraldConfig
import HeraldCore
import Testing

@Suite struct TemplateLibraryTests {
    /// Writes `files` (path → text) under a new temporary templates folder.
    func library(_ files: [String: String]) throws -> (TemplateLibrary, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herald-templates-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return (try TemplateLibrary(directory: root.path), root)
    }

    func templateError(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch let error as HeraldError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func rendersEveryPartEscapingOnlyHTML() throws {
        let (templates, root) = try library([
            "notice/subject.mustache": "Review {{reference}}: {{title}}\n",
            "notice/text.mustache": "Dear {{name}}, {{title}} & more. Count {{count}}.",
            "notice/html.mustache": "<p>{{title}}</p>",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let rendered = try templates.render(
            template: "notice",
            data: ["reference": .string("CSPR-7"), "title": .string("Grüße <‘Adult C’> 👋"), "name": .string("Zoë"), "count": .number(3)]
        )
        #expect(rendered["subject"] == "Review CSPR-7: Grüße <‘Adult C’> 👋")
        #expect(rendered["text"] == "Dear Zoë, Grüße <‘Adult C’> 👋 & more. Count 3.")
        #expect(rendered["html"] == "<p>Grüße &lt;‘Adult C’&gt; 👋</p>")
        #expect(rendered["post"] == nil)
        #expect(try templates.check() == ["notice"])
    }

    @Test func aMissingVariableIsNamedAndNothingIsRendered() throws {
        let (templates, root) = try library(["notice/text.mustache": "Hello {{name}}, see {{link}}."])
        defer { try? FileManager.default.removeItem(at: root) }
        let message = templateError { _ = try templates.render(template: "notice", data: ["name": .string("A")]) }
        #expect(message.contains("'link'"))
        #expect(message.contains("notice/text.mustache"))
    }

    @Test func sectionsResolveAgainstTheirElementOrTheOuterData() throws {
        let (templates, root) = try library([
            "list/text.mustache": "{{#people}}{{name}} of {{team}}; {{/people}}{{^extra}}no extra{{/extra}}{{#missing}}{{nowhere}}{{/missing}}",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let rendered = try templates.render(
            template: "list",
            data: ["team": .string("Comms"), "people": .array([.object(["name": .string("A")]), .object(["name": .string("B")])])]
        )
        #expect(rendered["text"] == "A of Comms; B of Comms; no extra")
        let message = templateError {
            _ = try templates.render(template: "list", data: ["people": .array([.object(["name": .string("A")])])])
        }
        #expect(message.contains("'team'"))
    }

    @Test func unknownTemplatesAndUnsafeNamesAreRefused() throws {
        let (templates, root) = try library(["notice/text.mustache": "x"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(templateError { _ = try templates.render(template: "nope", data: [:]) }.contains("There is no template 'nope'"))
        #expect(templateError { _ = try templates.render(template: "../notice", data: [:]) }.contains("not a template name"))
        #expect(templateError { _ = try templates.render(template: "..", data: [:]) }.contains("not a template name"))
    }

    @Test func aSubjectThatRendersALineBreakIsRefused() throws {
        let (templates, root) = try library(["notice/subject.mustache": "Hello {{name}} there"])
        defer { try? FileManager.default.removeItem(at: root) }
        let message = templateError { _ = try templates.render(template: "notice", data: ["name": .string("A\r\nBcc: x@y")]) }
        #expect(message.contains("line break"))
    }

    @Test func brokenTemplatesAreReportedByCheck() throws {
        let (templates, root) = try library(["broken/text.mustache": "{{#open}} never closed"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(templateError { _ = try templates.check() }.contains("broken/text.mustache"))
    }

    @Test func aMissingFolderSaysToUseTemplates() {
        #expect(templateError { _ = try TemplateLibrary(directory: "/nonexistent/templates") }.contains("--templates"))
    }
}
