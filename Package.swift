// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "thads",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "thads", targets: ["thads"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Already resolved through Vapor's graph; named here for the receipts' X.509 certificates and CMS signatures.
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.0.0"),
        // Already resolved through Vapor's graph; named here for HTTPS served by the app (TLS_CERT_FILE).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.27.0"),
        // The exchange API's server code is generated once from openapi/thads-v1.yaml and committed (no build plugin).
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.2.0"),
    ],
    targets: [
        .target(
            name: "ThadsDomain",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ]
        ),
        // The exchange API's types and server glue, generated from openapi/thads-v1.yaml (scripts/generate-api.sh); a
        // module of its own because the generator's `Components`/`Operations` namespaces are fixed names.
        .target(
            name: "ThadsExchangeAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["openapi.sha256"]
        ),
        .target(
            name: "ThadsApp",
            dependencies: [
                "ThadsDomain",
                "ThadsExchangeAPI",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "thads",
            dependencies: ["ThadsApp"]
        ),
        .testTarget(
            name: "ThadsDomainTests",
            dependencies: ["ThadsDomain"]
        ),
        .testTarget(
            name: "ThadsAppTests",
            dependencies: [
                "ThadsApp",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
