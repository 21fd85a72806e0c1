import Testing
@testable import Floe
