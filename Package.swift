// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "herald", targets: ["herald"]),
        .library(name: "HeraldApp", targets: ["HeraldApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "HeraldCore"),
        .target(name: "HeraldRules", dependencies: ["HeraldCore"]),
        .target(name: "HeraldPlanner", dependencies: ["HeraldCore"]),
        .target(
            name: "HeraldConfig",
            dependencies: [
                "HeraldCore", "HeraldRules", "HeraldPlanner", "HeraldStore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "HeraldStore",
            dependencies: ["HeraldCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "HeraldStoreSQLite",
            dependencies: [
                "HeraldStore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(name: "HeraldTransport", dependencies: ["HeraldCore", "CCurl"]),
        .target(
            name: "HeraldChannels",
            dependencies: ["HeraldCore", "HeraldRules", "HeraldTransport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "HeraldWorker",
            dependencies: [
                "HeraldCore", "HeraldRules", "HeraldStore", "HeraldChannels", "HeraldTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "HeraldServices",
            dependencies: [
                "HeraldCore", "HeraldRules", "HeraldPlanner", "HeraldConfig", "HeraldStore", "HeraldChannels",
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .target(
            name: "HeraldAPI",
            dependencies: [
                "HeraldCore", "HeraldRules", "HeraldConfig", "HeraldStore", "HeraldServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "HeraldApp",
            dependencies: [
                "HeraldCore", "HeraldRules", "HeraldPlanner", "HeraldConfig", "HeraldStore", "HeraldStoreSQLite",
                "HeraldTransport", "HeraldChannels", "HeraldWorker", "HeraldServices", "HeraldAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "herald",
            dependencies: [
                "HeraldApp", "HeraldServices", "HeraldCore", "HeraldRules", "HeraldPlanner", "HeraldConfig", "HeraldStore", "HeraldWorker",
                "HeraldAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "HeraldTesting",
            dependencies: [
                "HeraldCore", "HeraldRules", "HeraldTransport", "HeraldChannels", "HeraldStore", "HeraldStoreSQLite", "HeraldWorker",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "HeraldRulesTests", dependencies: ["HeraldRules", "HeraldCore", "HeraldTesting"]),
        .testTarget(name: "HeraldPlannerTests", dependencies: ["HeraldPlanner", "HeraldCore"]),
        .testTarget(name: "HeraldConfigTests", dependencies: ["HeraldConfig", "HeraldCore", "HeraldPlanner", "HeraldStore"]),
        .testTarget(
            name: "HeraldStoreSQLiteTests",
            dependencies: [
                "HeraldStoreSQLite", "HeraldStore", "HeraldCore", "HeraldTesting", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "HeraldTransportTests", dependencies: ["HeraldTransport", "HeraldTesting", "HeraldCore"]),
        .testTarget(
            name: "HeraldChannelsTests",
            dependencies: ["HeraldChannels", "HeraldTransport", "HeraldCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "HeraldWorkerTests",
            dependencies: [
                "HeraldWorker", "HeraldTesting", "HeraldStoreSQLite", "HeraldStore", "HeraldChannels", "HeraldTransport",
                "HeraldRules", "HeraldCore", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "HeraldAppTests",
            dependencies: [
                "HeraldApp", "HeraldServices", "HeraldTesting", "HeraldStoreSQLite", "HeraldStore", "HeraldCore", "HeraldConfig", "HeraldPlanner",
                "HeraldWorker", "HeraldTransport", .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), "HeraldAPI",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
