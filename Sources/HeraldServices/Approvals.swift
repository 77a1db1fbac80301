import Foundation
import HeraldConfig
import HeraldCore
import HeraldStore

/// An approver's word on a held press release or campaign post. Apart from the review workflow, because approving a
/// campaign post needs no review calendar, only the list of approvers.
public struct Approvals<Store: ApprovalStore>: Sendable {
    let approvers: [String]
    let store: Store

    public init(approvers: [String], store: Store) {
        self.approvers = approvers
        self.store = store
    }

    /// Releases the whole group of message `id` (every network of a post); `name` must be one channels.yml lists
    /// under `approvers`, compared without case.
    public func approve(_ id: MessageID, as name: String, now: Date) async throws -> [MessageID] {
        guard !approvers.isEmpty else {
            throw HeraldError(.configuration, "channels.yml names no approvers. Add them, e.g. approvers: [\"Business Manager\"].")
        }
        guard let approver = approvers.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
            throw HeraldError(
                .invalidInput, "'\(InputRules.printable(name))' is not an approver. channels.yml names: \(approvers.joined(separator: ", "))."
            )
        }
        return try await approve(id, actor: approver, now: now)
    }

    /// Releases the group of message `id` on the word of an API token holding the approver role: the role is the
    /// authority, and the token's name is recorded. Refused, like any approval, if the same caller loaded it.
    public func approve(_ id: MessageID, token name: String, now: Date) async throws -> [MessageID] {
        try await approve(id, actor: name, now: now)
    }

    /// What waits for an approver, by group.
    public func pending(limit: Int) async throws -> [PendingApproval] {
        try await store.awaitingApproval(limit: limit)
    }

    private func approve(_ id: MessageID, actor: String, now: Date) async throws -> [MessageID] {
        guard let group = try await store.groupID(of: id) else {
            throw HeraldError(.notFound, "There is no message \(id). Check the id with 'herald log'.")
        }
        return try await store.approve(groupID: group, actor: actor, now: now)
    }
}
