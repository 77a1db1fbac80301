import Foundation
import HeraldCore
import HeraldStore
import Testing

/// What every store driver must do, written once against the store protocols: each driver's test target runs every
/// case against a fresh store of its own (`SQLiteConformanceTests` now, the PostgreSQL driver's next), so the
/// drivers cannot drift apart. The cases follow `docs/store.md`.
public struct StoreConformance<Store: ReviewStore>: Sendable {
    public enum Case: String, CaseIterable, Sendable {
        case enqueueStoresAllAndADedupeKeyOnce
        case claimTakesDueMessagesOldestFirstUnderALease
        case aLapsedLeaseIsReclaimedByAnotherWorkerOnly
        case aLateCompletionFromALeaseLostChangesNoState
        case releaseGivesBackWithoutSpendingAnAttempt
        case retryIsScheduledAndTheLastAttemptIsDead
        case cancelStopsOnlyWhatHasNotBeenSent
        case aPauseHoldsTheChannelForEveryWorker
        case unconfirmedIsResolvedByHandOnce
        case operatorRetryKeepsTheDeadline
        case anApprovalGateHoldsThroughCancelAndRetry
        case aReviewHoldGateHoldsUntilCleared
        case expiryTakesWhatMissedItsDeadline
        case everyChangeIsInTheAuditChain
        case aPersonsMessagesAreFoundByTheirAddressOnly
        case purgeRemovesOnlyWhatRetentionNoLongerAllowsAndKeepsTheChain
        case forgetErasesOnePersonCancelsTheirUnsentAndKeepsTheChain
    }

    let make: @Sendable () async throws -> Store
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// - Parameter make: a fresh, empty store for each case.
    public init(make: @escaping @Sendable () async throws -> Store) {
        self.make = make
    }

    public func run(_ testCase: Case) async throws {
        let store = try await make()
        switch testCase {
        case .enqueueStoresAllAndADedupeKeyOnce: try await enqueueAndDedupe(store)
        case .claimTakesDueMessagesOldestFirstUnderALease: try await claimOrder(store)
        case .aLapsedLeaseIsReclaimedByAnotherWorkerOnly: try await lapsedLease(store)
        case .aLateCompletionFromALeaseLostChangesNoState: try await lateCompletion(store)
        case .releaseGivesBackWithoutSpendingAnAttempt: try await release(store)
        case .retryIsScheduledAndTheLastAttemptIsDead: try await retryAndDead(store)
        case .cancelStopsOnlyWhatHasNotBeenSent: try await cancel(store)
        case .aPauseHoldsTheChannelForEveryWorker: try await pause(store)
        case .unconfirmedIsResolvedByHandOnce: try await unconfirmed(store)
        case .operatorRetryKeepsTheDeadline: try await retryDeadline(store)
        case .anApprovalGateHoldsThroughCancelAndRetry: try await approvalGate(store)
        case .aReviewHoldGateHoldsUntilCleared: try await reviewGate(store)
        case .expiryTakesWhatMissedItsDeadline: try await expiry(store)
        case .everyChangeIsInTheAuditChain: try await auditChain(store)
        case .aPersonsMessagesAreFoundByTheirAddressOnly: try await byAddress(store)
        case .purgeRemovesOnlyWhatRetentionNoLongerAllowsAndKeepsTheChain: try await purge(store)
        case .forgetErasesOnePersonCancelsTheirUnsentAndKeepsTheChain: try await forget(store)
        }
    }

    // MARK: Building blocks

    func message(at: Date, channel: String = "partners", deadline: Date? = nil, state: MessageState = .scheduled) -> NewMessage {
        NewMessage(
            id: MessageID.make(at: at), channel: channel, kind: "notice", recipient: "webhook:hooks.example.test",
            content: ["text": "hello"], dataJSON: "{}", state: state, notBefore: at, deadline: deadline
        )
    }

    func group(_ messages: [NewMessage], key: String? = nil) -> EnqueueGroup {
        EnqueueGroup(groupID: MessageID.make().rawValue, dedupeKey: key, messages: messages)
    }

    @discardableResult
    func enqueue(_ store: Store, _ messages: NewMessage...) async throws -> [MessageID] {
        try await store.enqueue(messages.map { group([$0]) }, now: start).flatMap(\.ids)
    }

    func claim(_ store: Store, _ limit: Int, by worker: String = "w1", channel: String = "partners", at: Date) async throws -> [ClaimedMessage] {
        try await store.claim([ClaimRequest(channel: channel, limit: limit)], worker: worker, lease: 30, now: at)
    }

    func complete(_ store: Store, _ id: MessageID, _ transition: Transition, attempt: Int = 1, by worker: String = "w1", at: Date,
                  pause: ChannelPause? = nil) async throws {
        let record = AttemptRecord(number: attempt, startedAt: at, duration: 0.01, outcome: "test", status: 204, detail: "HTTP 204", worker: worker)
        try await store.complete([Completion(messageID: id, attempt: record, transition: transition, channelPause: pause)], worker: worker, now: at)
    }

    func state(_ store: Store, _ id: MessageID) async throws -> MessageState? {
        try await store.message(id)?.message.state
    }

    // MARK: Cases

    func enqueueAndDedupe(_ store: Store) async throws {
        let first = try await store.enqueue([group([message(at: start), message(at: start)], key: "k1")], now: start)
        #expect(first.count == 1 && first[0].ids.count == 2 && !first[0].deduplicated)
        let again = try await store.enqueue([group([message(at: start)], key: "k1")], now: start)
        #expect(again.first?.deduplicated == true, "a dedupe key seen before stored something")
        #expect(again.first?.ids == first[0].ids, "a repeated dedupe key did not answer with the first ids")
        #expect(try await store.stateCounts()[.scheduled] == 2)
    }

    func claimOrder(_ store: Store) async throws {
        let later = try await enqueue(store, message(at: start.addingTimeInterval(1)))
        let earlier = try await enqueue(store, message(at: start))
        try await enqueue(store, message(at: start.addingTimeInterval(3600)))
        try await enqueue(store, message(at: start, channel: "other"))
        let oldest = try await claim(store, 1, at: start.addingTimeInterval(10))
        #expect(oldest.map(\.message.id) == earlier, "a short claim did not take the oldest due message")
        let rest = try await claim(store, 5, at: start.addingTimeInterval(10))
        #expect(rest.map(\.message.id) == later, "not the due messages of the channel")
        #expect((oldest + rest).allSatisfy { $0.attemptNumber == 1 && $0.leaseExpires == start.addingTimeInterval(40) })
        #expect(try await state(store, earlier[0]) == .sending)
        #expect(try await claim(store, 5, by: "w2", at: start.addingTimeInterval(11)).isEmpty, "a message under a lease was claimed twice")
    }

    func lapsedLease(_ store: Store) async throws {
        let id = try await enqueue(store, message(at: start))[0]
        _ = try await claim(store, 1, by: "w1", at: start)
        #expect(try await claim(store, 1, by: "w1", at: start.addingTimeInterval(31)).isEmpty, "a worker took back its own lapsed lease")
        let reclaimed = try await claim(store, 1, by: "w2", at: start.addingTimeInterval(31))
        #expect(reclaimed.map(\.message.id) == [id])
        #expect(reclaimed.first?.attemptNumber == 2, "the lapsed attempt was not counted")
    }

    func lateCompletion(_ store: Store) async throws {
        let id = try await enqueue(store, message(at: start))[0]
        _ = try await claim(store, 1, by: "w1", at: start)
        _ = try await claim(store, 1, by: "w2", at: start.addingTimeInterval(31))
        try await complete(store, id, .dead(reason: "HTTP 400"), by: "w1", at: start.addingTimeInterval(32))
        #expect(try await state(store, id) == .sending, "a worker that lost the lease changed the message")
        #expect(try await store.message(id)?.attempts.count == 1, "the late attempt was not kept")
        try await complete(store, id, .delivered, attempt: 2, by: "w2", at: start.addingTimeInterval(33))
        #expect(try await state(store, id) == .delivered)
    }

    func release(_ store: Store) async throws {
        let id = try await enqueue(store, message(at: start))[0]
        _ = try await claim(store, 1, at: start)
        try await store.release([id], worker: "w1", now: start)
        #expect(try await state(store, id) == .scheduled)
        #expect(try await claim(store, 1, by: "w2", at: start).first?.attemptNumber == 1)
    }

    func retryAndDead(_ store: Store) async throws {
        let id = try await enqueue(store, message(at: start))[0]
        _ = try await claim(store, 1, at: start)
        let next = start.addingTimeInterval(60)
        try await complete(store, id, .retry(at: next), at: start)
        #expect(try await state(store, id) == .retrying)
        #expect(try await claim(store, 1, at: next.addingTimeInterval(-1)).isEmpty, "claimed before its retry time")
        #expect(try await claim(store, 1, at: next).first?.attemptNumber == 2)
        try await complete(store, id, .dead(reason: "HTTP 400"), attempt: 2, at: next)
        #expect(try await state(store, id) == .dead)
        #expect(try await claim(store, 1, at: next.addingTimeInterval(3600)).isEmpty, "a dead message was claimed")
    }

    func cancel(_ store: Store) async throws {
        let waiting = try await enqueue(store, message(at: start.addingTimeInterval(60)))[0]
        let sending = try await enqueue(store, message(at: start))[0]
        _ = try await claim(store, 1, at: start)
        #expect(try await store.cancel([waiting, sending], actor: "test", now: start) == [waiting])
        #expect(try await state(store, waiting) == .cancelled)
        #expect(try await state(store, sending) == .sending, "a message being sent was cancelled")
        #expect(try await claim(store, 1, at: start.addingTimeInterval(120)).isEmpty, "a cancelled message was claimed")
    }

    func pause(_ store: Store) async throws {
        let first = try await enqueue(store, message(at: start))[0]
        let second = try await enqueue(store, message(at: start))[0]
        _ = try await claim(store, 1, at: start)
        let until = start.addingTimeInterval(120)
        try await complete(store, first, .retry(at: until), at: start, pause: ChannelPause(until: until, reason: "HTTP 429"))
        #expect(try await store.channelPauses(now: start)["partners"]?.until == until)
        #expect(try await claim(store, 5, by: "w2", at: start.addingTimeInterval(60)).isEmpty, "a paused channel gave out a message")
        #expect(try await store.backlog(of: ["partners"], now: start.addingTimeInterval(60))["partners"]?.pause?.until == until)
        let after = try await claim(store, 5, by: "w2", at: until)
        #expect(Set(after.map(\.message.id)) == [first, second])
    }

    func unconfirmed(_ store: Store) async throws {
        let id = try await enqueue(store, message(at: start))[0]
        _ = try await claim(store, 1, at: start)
        try await complete(store, id, .unconfirmed(reason: "no answer"), at: start)
        #expect(try await state(store, id) == .unconfirmed)
        #expect(try await claim(store, 1, at: start.addingTimeInterval(3600)).isEmpty, "an unconfirmed post was sent again unasked")
        #expect(try await store.resolveDelivered(id, url: "https://social.example/@p/1", actor: "test", now: start))
        #expect(try await state(store, id) == .delivered)
        #expect(try await !store.resolveDelivered(id, url: "https://social.example/@p/2", actor: "test", now: start), "resolved twice")
    }

    func retryDeadline(_ store: Store) async throws {
        let deadline = start.addingTimeInterval(600)
        let id = try await enqueue(store, message(at: start, deadline: deadline))[0]
        _ = try await store.cancel([id], actor: "test", now: start)
        #expect(try await store.retry([id], actor: "test", now: start) == [ActionOutcome(id: id, result: .moved(.scheduled, gate: nil))])
        #expect(try await store.message(id)?.message.deadline == deadline, "retry dropped the deadline")
        _ = try await store.cancel([id], actor: "test", now: start)
        let late = try await store.retry([id], actor: "test", now: deadline.addingTimeInterval(1))
        guard case .refused? = late.first?.result else {
            Issue.record("a retry past the deadline was not refused: \(late)")
            return
        }
        #expect(try await state(store, id) == .cancelled)
    }

    func approvalGate(_ store: Store) async throws {
        let post = group([message(at: start, state: .held)])
        let id = try await store.enqueueAwaitingApproval([post], actor: "test", now: start).flatMap(\.ids)[0]
        #expect(try await store.retry([id], actor: "test", now: start).first?.result != .moved(.scheduled, gate: nil))
        #expect(try await store.cancel([id], actor: "test", now: start) == [id])
        let retried = try await store.retry([id], actor: "test", now: start)
        #expect(retried.first?.result == .moved(.held, gate: .awaitingApproval), "cancel then retry bypassed the approval: \(retried)")
        #expect(try await claim(store, 5, at: start.addingTimeInterval(3600)).isEmpty, "a post awaiting approval was claimed")
        #expect(try await store.approve(groupID: post.groupID, actor: "approver", now: start) == [id])
        #expect(try await state(store, id) == .scheduled)
    }

    func reviewGate(_ store: Store) async throws {
        let review = ReviewRecord(
            reference: "LLR-1", type: "LLR", title: "Family E", signedOff: "2026-11-02", publish: "2027-06-16",
            hold: ReviewHold(reason: "police investigation", by: "test", at: start), createdAt: start
        )
        let step = ReviewStepGroup(step: "practitioner_notice", group: group([message(at: start, state: .held)]))
        let id = try await store.createReview(review, steps: [step], actor: "test", now: start).flatMap(\.ids)[0]
        #expect(try await state(store, id) == .held)
        _ = try await store.cancel([id], actor: "test", now: start)
        let retried = try await store.retry([id], actor: "test", now: start)
        #expect(retried.first?.result == .moved(.held, gate: .reviewOnHold("LLR-1", reason: "police investigation")), "\(retried)")
        #expect(try await claim(store, 5, at: start.addingTimeInterval(3600)).isEmpty, "a step of a held review was claimed")
        #expect(try await store.clearReview("LLR-1", actor: "test", now: start) == [id])
        #expect(try await state(store, id) == .scheduled)
    }

    func expiry(_ store: Store) async throws {
        let id = try await enqueue(store, message(at: start, deadline: start.addingTimeInterval(60)))[0]
        _ = try await store.workerTurn(WorkerTurn(expire: true), worker: "w1", now: start.addingTimeInterval(61))
        #expect(try await state(store, id) == .expired)
        #expect(try await claim(store, 1, at: start.addingTimeInterval(62)).isEmpty)
    }

    func byAddress(_ store: Store) async throws {
        func addressed(_ recipient: String) -> NewMessage {
            var new = message(at: start, channel: "email")
            new.recipient = recipient
            return new
        }
        let named = try await enqueue(store, addressed("Zoë Müller <Zoe.Muller@agency.example.test>"))[0]
        let bare = try await enqueue(store, addressed("zoe.muller@agency.example.test"))[0]
        try await enqueue(store, addressed("sam@agency.example.test"), addressed("zoexmuller@agency.example.test"))
        let underscore = try await enqueue(store, addressed("zoe_muller@agency.example.test"))[0]
        let found = try await store.messages(toAddress: "ZOE.MULLER@agency.example.test")
        #expect(found.messages.map(\.message.id) == [named, bare], "not exactly the person's messages, oldest first")
        #expect(found.messages.allSatisfy { !$0.events.isEmpty }, "the events were left out")
        // `_` is a letter in an address, not a pattern: zoe_muller finds only zoe_muller.
        #expect(try await store.messages(toAddress: "zoe_muller@agency.example.test").messages.map(\.message.id) == [underscore])
        #expect(try await store.messages(toAddress: "nobody@agency.example.test").messages.isEmpty)
    }

    func auditChain(_ store: Store) async throws {
        let id = try await enqueue(store, message(at: start))[0]
        _ = try await claim(store, 1, at: start)
        try await complete(store, id, .delivered, at: start)
        let events = try await store.message(id)?.events.map(\.event) ?? []
        #expect(events.contains("claimed") && events.contains("delivered"), "\(events)")
        let verification = try await store.verifyAudit()
        #expect(verification.isIntact, "\(verification.faults)")
        #expect(verification.eventsChecked >= 3)
    }

    func purge(_ store: Store) async throws {
        let old = try await enqueue(store, message(at: start))[0]
        let pending = try await enqueue(store, message(at: start.addingTimeInterval(86_400)))[0]
        _ = try await claim(store, 1, at: start)
        try await complete(store, old, .delivered, at: start)
        let later = start.addingTimeInterval(100)
        let recent = try await enqueue(store, message(at: later))[0]
        _ = try await claim(store, 1, at: later)
        try await complete(store, recent, .delivered, at: later)

        let cutoff = start.addingTimeInterval(50)
        let dry = try await store.purge(contentBefore: cutoff, recipientsBefore: nil, dryRun: true, now: later)
        #expect(dry.contentRemoved == [old] && dry.recipientsRemoved.isEmpty, "\(dry)")
        #expect(try await store.message(old)?.message.content == ["text": "hello"], "a dry run removed content")

        let done = try await store.purge(contentBefore: cutoff, recipientsBefore: cutoff, dryRun: false, now: later)
        #expect(done.contentRemoved == [old] && done.recipientsRemoved == [old], "\(done)")
        let purged = try #require(try await store.message(old))
        #expect(purged.message.content.isEmpty && purged.message.recipient.isEmpty)
        #expect(purged.message.contentPurgedAt == later && purged.message.recipientPurgedAt == later)
        #expect(purged.message.state == .delivered, "a purge changed the state")
        #expect(purged.attempts.allSatisfy { $0.detail.isEmpty }, "a receiver's reply outlived the content")
        #expect(purged.events.last?.event == "purged")
        #expect(try await store.message(recent)?.message.content == ["text": "hello"], "a message inside its retention period was purged")
        #expect(try await store.message(pending)?.message.content == ["text": "hello"], "an unsent message was purged")
        #expect(try await store.purge(contentBefore: cutoff, recipientsBefore: cutoff, dryRun: false, now: later) == PurgeReport())

        let verification = try await store.verifyAudit()
        #expect(verification.isIntact, "\(verification.faults)")
        #expect(verification.messagesPurged == 1)
        let retried = try await store.retry([old], actor: "test", now: later)
        guard case .refused(let reason) = retried.first?.result else {
            Issue.record("a purged message was sent again: \(retried)")
            return
        }
        #expect(reason.contains("content was removed"), "\(reason)")
    }

    func forget(_ store: Store) async throws {
        func addressed(_ recipient: String, at: Date) -> NewMessage {
            var new = message(at: at)
            new.recipient = recipient
            new.content = ["text": "hello \(recipient)"]
            return new
        }
        let delivered = try await enqueue(store, addressed("Zoë Müller <zoe.muller@agency.example.test>", at: start))[0]
        _ = try await claim(store, 1, at: start)
        try await complete(store, delivered, .delivered, at: start)
        let unsent = try await enqueue(store, addressed("ZOE.MULLER@agency.example.test", at: start.addingTimeInterval(86_400)))[0]
        let other = try await enqueue(store, addressed("sam@agency.example.test", at: start.addingTimeInterval(86_400)))[0]

        let report = try await store.forget(address: "zoe.muller@agency.example.test", actor: "dpo", reason: "erasure request 17", now: start)
        #expect(Set(report.contentRemoved) == [delivered, unsent] && report.cancelled == [unsent], "\(report)")
        for id in [delivered, unsent] {
            let detail = try #require(try await store.message(id))
            #expect(detail.message.recipient.isEmpty && detail.message.content.isEmpty, "\(detail.message)")
            #expect(detail.events.last?.event == "forgotten")
            #expect(detail.events.last?.note == "by dpo: erasure request 17")
        }
        #expect(try await state(store, unsent) == .cancelled)
        #expect(try await store.message(other)?.message.recipient == "sam@agency.example.test")
        #expect(try await store.messages(toAddress: "zoe.muller@agency.example.test").messages.isEmpty)
        #expect(try await claim(store, 5, at: start.addingTimeInterval(90_000)).map(\.message.id) == [other])
        let verification = try await store.verifyAudit()
        #expect(verification.isIntact, "\(verification.faults)")
    }
}
