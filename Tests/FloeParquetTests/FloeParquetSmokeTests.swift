import Testing
@testable import FloeParquet
