import Testing
import FloeTestSupport

/// Under the README's test command (`Tools/test.sh`, which sets `FLOE_REQUIRE_PEERS=1`) every peer
/// the suites compare Floe with must be present: a missing one fails here by name, and the gated
/// suites run and fail instead of skipping.
@Suite("Peers required by the test command")
struct RequiredPeersTests {
    @Test("every peer is installed when FLOE_REQUIRE_PEERS is set",
          .enabled(if: TestEnvironment.requiresPeers, "FLOE_REQUIRE_PEERS is unset: peer suites may skip"))
    func everyPeerIsPresent() {
        #expect(TestEnvironment.python != nil, "no test Python: FLOE_PYTHON is unset and .venv-test is missing")
        #expect(TestEnvironment.hasPyarrow, "the test Python cannot import pyarrow")
        #expect(TestEnvironment.hasDeltalake, "the test Python cannot import deltalake")
        #expect(TestEnvironment.hasDuckDB, "the test Python cannot import duckdb and duckdb_extension_delta")
        if let shared = TestEnvironment.shared {
            #expect(TestEnvironment.goldenRoot != nil, "FLOE_SHARED=\(shared) has no golden/delta-rs folder")
        }
    }
}
