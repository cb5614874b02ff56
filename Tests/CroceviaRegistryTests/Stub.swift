import Testing
@testable import CroceviaRegistry
