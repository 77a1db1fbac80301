import HeraldCore
import Testing

/// The lifecycle table's promises, checked over every transition rather than case by case.
@Suite struct MessageTransitionTests {
    static let review = MessageGate.reviewOnHold("LLR-1", reason: "police investigation")
    static let gateSets: [[MessageGate]] = [[.awaitingApproval], [review], [.awaitingApproval, review]]

    @Test func onlyTheTransitionThatOpensEveryClosedGateReachesScheduled() {
        for transition in MessageTransition.allCases where transition.to == .scheduled {
            #expect(transition.destination(closedGates: []) == .scheduled)
            for gates in Self.gateSets {
                let opensAll = gates.allSatisfy { $0.kind == transition.opens }
                #expect(
                    transition.destination(closedGates: gates) == (opensAll ? .scheduled : .held),
                    "\(transition) with \(gates.map(\.kind))"
                )
            }
        }
    }

    @Test func noTransitionButApproveAndClearLeavesHeldForSomewhereItCouldBeSent() {
        for transition in MessageTransition.allCases where transition.allows(.held) {
            let sendable: Set<MessageState> = [.scheduled, .retrying, .sending]
            #expect(
                !sendable.contains(transition.to) || [.approve, .clearHold].contains(transition),
                "\(transition) takes a held message to \(transition.to)"
            )
        }
    }

    @Test func aRefusalNamesTheStateAndWhatTheTransitionNeeds() {
        let refusal = MessageTransition.retry.refusal(of: .held)
        #expect(refusal.contains("it is held"))
        #expect(refusal.contains("dead, unconfirmed, expired, cancelled"))
    }

    @Test func theGateSaysHowItOpens() {
        let id = MessageID(rawValue: "019300aa-0000-7000-8000-000000000000")
        #expect(MessageGate.awaitingApproval.explanation(for: id).contains("herald approve \(id)"))
        #expect(Self.review.explanation(for: id).contains("herald review clear LLR-1"))
        #expect(Self.review.explanation(for: id).contains("police investigation"))
    }
}
