import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldStore

extension Herald {
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make, list and revoke the tokens of the HTTP API.", subcommands: [Create.self, List.self, Revoke.self]
        )

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Make a token and print it once; only its digest is kept. Roles: scheduler, operator, approver, auditor."
            )

            @OptionGroup var global: GlobalOptions
            @Option(help: "Who or what holds it (letters, digits, '_', '-'): it names the caller in the audit trail.") var name: String
            @Option(help: "A role; repeat for several.") var role: [String] = []

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let token = try await context.tokens.create(name: name, roles: role, actor: Output.operatorName(), now: Date())
                print(token)
                FileHandle.standardError.write(Data("token \(name) made; it is shown this once: keep it where its holder keeps secrets\n".utf8))
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the tokens: name, roles, when and by whom made, revoked.")

            @OptionGroup var global: GlobalOptions

            func run() async throws {
                let context = try AppContext.open(global.paths)
                for token in try await context.tokens.list() {
                    let roles = token.roles.map(\.rawValue).joined(separator: ",")
                    let revoked = token.revokedAt.map { "  revoked \(RFC3339.format($0))" } ?? ""
                    print("\(token.name)  \(roles)  made \(RFC3339.format(token.createdAt)) by \(token.createdBy)\(revoked)")
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a token: refused from the next request on.")

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The token's name.") var name: String

            func run() async throws {
                let context = try AppContext.open(global.paths)
                try await context.tokens.revoke(name: name, actor: Output.operatorName(), now: Date())
                print("revoked \(name)")
            }
        }
    }
}
