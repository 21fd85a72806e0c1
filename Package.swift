// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Floe",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FloeColumnar", targets: ["FloeColumnar"]),
        .library(name: "FloeParquet", targets: ["FloeParquet"]),
        .library(name: "Floe", targets: ["Floe"]),
        .library(name: "FloeSQLite", targets: ["FloeSQLite"]),
        .executable(name: "floe", targets: ["floe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, each wrapped once.
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy",
                       providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4",
                       providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),

        // Arrow-compatible in-memory columnar data.
        .target(name: "FloeColumnar", path: "Sources/FloeColumnar", swiftSettings: strict),
        // Apache Parquet reader and writer; knows nothing of Delta.
        .target(name: "FloeParquet",
                dependencies: ["FloeColumnar", "CZstd", "CSnappy", "CZlib", "CLZ4"],
                path: "Sources/FloeParquet", swiftSettings: strict),
        // The Delta Lake table format.
        .target(name: "Floe", dependencies: ["FloeColumnar", "FloeParquet"],
                path: "Sources/Floe", swiftSettings: strict),

        // SQLite (libsqlite3) with Floe tables as virtual tables.
        .target(name: "FloeSQLite", dependencies: ["Floe", "FloeColumnar", "CSQLite"],
                path: "Sources/FloeSQLite", swiftSettings: strict),

        .executableTarget(name: "floe",
                          dependencies: ["Floe", "FloeParquet", "FloeColumnar", "CSQLite", "FloeSQLite",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Tools/floe", swiftSettings: strict),

        .executableTarget(name: "floe-bench",
                          dependencies: ["Floe", "FloeParquet", "FloeColumnar"],
                          path: "Tools/floe-bench", swiftSettings: strict),
        // Concurrency, crash, disk-full and read-only torture with real processes (Spec/TESTING.md);
        // runs `floe` (built alongside) for idempotent appends.
        .executableTarget(name: "floe-torture",
                          dependencies: ["Floe", "FloeColumnar",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Tools/floe-torture", swiftSettings: strict),
        // The libFuzzer harness of FloeParquet's decoders (Tools/fuzz.sh builds it with -sanitize=fuzzer
        // -DFLOE_FUZZING); an ordinary build makes it a tool that replays inputs.
        .executableTarget(name: "fuzz-parquet", dependencies: ["FloeParquet"], path: "Tools/fuzz-parquet",
                          swiftSettings: strict + [.enableExperimentalFeature("Extern")]),
        // The libFuzzer harness of Floe's text parsers: log, predicates, DDL, ndjson and CSV rows
        // (built by Tools/fuzz.sh likewise; an ordinary build replays inputs).
        .executableTarget(name: "fuzz-floe", dependencies: ["Floe"], path: "Tools/fuzz-floe",
                          swiftSettings: strict + [.enableExperimentalFeature("Extern")]),

        // What every test target shares: the package root, the test Python, the golden corpus and
        // the peer gates that FLOE_REQUIRE_PEERS (set by Tools/test.sh) turns from skips into failures.
        .target(name: "FloeTestSupport", path: "Tests/FloeTestSupport", swiftSettings: strict),

        .testTarget(name: "FloeColumnarTests", dependencies: ["FloeColumnar", "FloeTestSupport"],
                    path: "Tests/FloeColumnarTests", swiftSettings: strict),
        .testTarget(name: "FloeParquetTests", dependencies: ["FloeParquet", "FloeColumnar", "FloeTestSupport"],
                    path: "Tests/FloeParquetTests",
                    exclude: ["FuzzRegressions"],  // inputs read via #filePath (FuzzRegressionTests)
                    swiftSettings: strict),
        .testTarget(name: "FloeTests", dependencies: ["Floe", "FloeParquet", "FloeColumnar", "FloeTestSupport"],
                    path: "Tests/FloeTests",
                    exclude: ["FuzzSeeds", "FuzzRegressions"],  // inputs read via #filePath (DeltaFuzzReplayTests)
                    swiftSettings: strict),
        // Also runs the `floe` executable (built as a dependency) for the CLI contract.
        .testTarget(name: "FloeSQLiteTests", dependencies: ["FloeSQLite", "Floe", "FloeColumnar", "floe", "FloeTestSupport"],
                    path: "Tests/FloeSQLiteTests", swiftSettings: strict),
        // Runs the built `floe` executable as a subprocess (the dependency makes `swift test` build it).
        .testTarget(name: "FloeCLITests", dependencies: ["floe", "FloeTestSupport"],
                    path: "Tests/FloeCLITests", swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
