// The libFuzzer harness for Floe's text parsers (log, predicates, DDL, ndjson/CSV rows); the logic
// lives in `DeltaFuzzing` (Sources/Floe/Fuzz).
//
// Built by Tools/fuzz.sh with `-sanitize=fuzzer,address -DFLOE_FUZZING`: the binary is then a
// libFuzzer fuzzer (run it with libFuzzer's flags, e.g. `fuzz-floe -max_total_time=30 CORPUS`).
// The target is chosen by FLOE_FUZZ_TARGET (log, condition, ddl, ndjson, csv); unset, the first byte
// of each input chooses it. Two subcommands work in either build:
//     fuzz-floe write-seeds DIR [COMMITTED_DIR ...]         write a seed corpus, DIR/<target>/...
//     fuzz-floe replay [-v] [--target NAME] FILE_OR_DIR...  run inputs, report violations
// In an ordinary build (`swift build`) the executable replays by default, without libFuzzer or
// sanitizers, which is handy for reproducing a crash in a debugger.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Floe

/// The target named by FLOE_FUZZ_TARGET, or nil to let the first byte of each input choose.
let fixedTarget: DeltaFuzzing.Target? = getenv("FLOE_FUZZ_TARGET").flatMap {
    DeltaFuzzing.Target(rawValue: String(cString: $0))
}

/// Runs one input; returns a description of a contract violation, or nil.
func runOne(_ data: UnsafeRawBufferPointer, target: DeltaFuzzing.Target?) -> String? {
    if let target { return DeltaFuzzing.check(target, data) }
    return DeltaFuzzing.checkSelectingTarget(data)
}

/// Writes `message` and a newline to standard error.
func printError(_ message: String) {
    let line = Array((message + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// `write-seeds DIR [COMMITTED_DIR ...]`: returns the exit status.
func writeSeeds(_ arguments: [String]) -> CInt {
    guard let directory = arguments.first else {
        printError("usage: fuzz-floe write-seeds DIR [COMMITTED_DIR ...]")
        return 2
    }
    do {
        let counts = try DeltaFuzzing.writeSeeds(to: directory, committedDirectories: Array(arguments.dropFirst()))
        let summary = DeltaFuzzing.Target.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }
        print("seeds: \(summary.joined(separator: ", "))")
        return 0
    } catch {
        printError("fuzz-floe: writing seeds failed: \(error)")
        return 1
    }
}

/// `replay [-v] [--target NAME] FILE_OR_DIRECTORY...`: runs every input through the harness and
/// reports contract violations (with `-v`, also what each input did); returns the exit status.
func replay(_ arguments: [String]) -> CInt {
    var arguments = arguments
    var target = fixedTarget
    var verbose = false
    while let option = arguments.first, option.hasPrefix("-") {
        arguments.removeFirst()
        if option == "-v" {
            verbose = true
        } else if option == "--target", let name = arguments.first, let t = DeltaFuzzing.Target(rawValue: name) {
            target = t
            arguments.removeFirst()
        } else {
            arguments = []
        }
    }
    guard !arguments.isEmpty else {
        printError("usage: fuzz-floe [replay] [-v] [--target log|condition|ddl|ndjson|csv] FILE_OR_DIRECTORY...\n"
                   + "       fuzz-floe write-seeds DIR [COMMITTED_DIR ...]")
        return 2
    }
    var failures = 0
    var count = 0
    for path in arguments.flatMap(files) {
        count += 1
        do {
            let bytes = try readFile(path)
            if let problem = bytes.withUnsafeBytes({ runOne($0, target: target) }) {
                failures += 1
                printError("\(path): \(problem)")
            } else if verbose, let target {
                do {
                    try bytes.withUnsafeBytes { try DeltaFuzzing.run(target, $0) }
                    print("\(path): decoded")
                } catch {
                    print("\(path): threw \(error)")
                }
            }
        } catch {
            failures += 1
            printError("\(path): \(error)")
        }
    }
    print("fuzz-floe: replayed \(count) input(s), \(failures) failure(s)")
    return failures == 0 ? 0 : 1
}

/// The bytes of the file at `path`.
func readFile(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw DeltaError(.fileNotFound, "cannot open '\(path)'") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n == 0 { break }
        bytes += chunk[0..<n]
    }
    return bytes
}

/// `path` itself, or the entries directly inside it when it is a directory (hidden ones left out).
func files(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [path] }
    let path = path.hasSuffix("/") ? String(path.dropLast()) : path
    defer { closedir(dir) }
    var out: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name.hasPrefix(".") { continue }
        out.append("\(path)/\(name)")
    }
    return out.sorted()
}

#if FLOE_FUZZING

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let problem = runOne(UnsafeRawBufferPointer(start: data, count: size), target: fixedTarget) {
        printError("fuzz-floe: CONTRACT VIOLATION: \(problem)")
        abort()
    }
    return 0
}

typealias FuzzerCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// libFuzzer's driver, for programs that have their own `main`.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: FuzzerCallback) -> CInt

/// The program's entry point. SwiftPM links executables with `main` aliased to `<module>_main`,
/// which an ordinary build gets from `@main`; here it hands over to libFuzzer's driver.
@_cdecl("fuzz_floe_main")
func fuzzFloeMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    if argc >= 2, let argv, let first = argv[1] {
        let rest = (2 ..< Int(argc)).compactMap { argv[$0].map { String(cString: $0) } }
        switch String(cString: first) {
        case "write-seeds": return writeSeeds(rest)
        case "replay": return replay(rest)
        default: break
        }
    }
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzTestOneInput)
}

#else

@main
struct FuzzFloe {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "write-seeds" { exit(writeSeeds(Array(arguments.dropFirst()))) }
        exit(replay(arguments.first == "replay" ? Array(arguments.dropFirst()) : arguments))
    }
}

#endif
