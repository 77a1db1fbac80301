import Foundation
import HTTPTypes
import Hummingbird
import HeraldConfig
import HeraldCore
import HeraldServices
import HeraldStore

/// `/v1/campaigns`: a campaign file, sent as its JSON (or YAML) text, previewed or loaded as `herald campaign`
/// does; every post is stored held until a token other than the loader's approves it.
struct CampaignRoutes<Store: ReviewStore & TokenStore & MetricsStore> {
    let services: APIServices<Store>
    let limits: APILimits

    func add(to group: RouterGroup<APIRequestContext>) {
        group.post("campaigns/preview") { request, context in try await preview(request, context) }
        group.post("campaigns") { request, context in try await load(request, context) }
    }

    struct Measure: Encodable, Sendable {
        var unit: String
        var length: Int
        var limit: Int
        var fits: Bool
    }

    struct Rendered: Encodable, Sendable {
        var post: String
        var channel: String
        var network: String
        var at: String
        var text: String
        var fits: Bool
        var measures: [Measure]
    }

    struct Preview: Encodable, Sendable {
        var campaign: String
        var posts: [Rendered]
    }

    func preview(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Preview> {
        _ = try context.require(.scheduler)
        let campaign = try await read(request)
        let posts = try services.campaigns.render(campaign).map { post in
            Rendered(
                post: post.post, channel: post.channel, network: post.network, at: RFC3339.format(post.at), text: post.text, fits: post.fits,
                measures: post.measures.map { Measure(unit: $0.unit, length: $0.length, limit: $0.limit, fits: $0.fits) }
            )
        }
        return JSONResponse(Preview(campaign: campaign.name, posts: posts))
    }

    struct Loaded: Encodable, Sendable {
        var post: String
        var group_id: String
        var ids: [String]
        var already_loaded: Bool
    }

    struct Load: Encodable, Sendable {
        var campaign: String
        var posts: [Loaded]
    }

    /// 201 when anything was stored; 200 when every post had been loaded before.
    func load(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Load> {
        let token = try context.require(.scheduler)
        let campaign = try await read(request)
        let loaded = try await services.campaigns.load(campaign, actor: MessageRoutes<Store>.actor(token), now: Date())
        let posts = loaded.map { Loaded(post: $0.post, group_id: $0.groupID, ids: $0.ids.map(\.rawValue), already_loaded: $0.alreadyLoaded) }
        return JSONResponse(Load(campaign: campaign.name, posts: posts), status: loaded.allSatisfy(\.alreadyLoaded) ? .ok : .created)
    }

    /// The campaign in the body, read by the same loader as a file; its complaints name the body's line and key.
    private func read(_ request: Request) async throws -> CampaignFile {
        let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard let contentType, ["application/json", "application/yaml"].contains(contentType) else {
            throw Problem(.unsupportedMediaType, kind: "unsupported_media_type", detail: "Send the campaign as application/json or application/yaml.")
        }
        var request = request
        let data = Data(try await request.collectBody(upTo: limits.bodyBytes).readableBytesView)
        guard let text = String(data: data, encoding: .utf8) else { throw Problem.malformed("The body is not UTF-8 text.") }
        if contentType == "application/json", (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] == nil {
            throw Problem.malformed("The body is not a JSON object.", pointer: "")
        }
        do {
            return try CampaignLoader.load(yaml: text, fileName: "body")
        } catch let error as HeraldError where error.code == .configuration {
            throw Problem.invalid(error.message, pointer: nil)
        }
    }
}
