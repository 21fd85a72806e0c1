import ArgumentParser
import Foundation
import Floe

/// `floe changes TABLE --from V [--to W]`: a table's change data feed.
struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Print the row-level changes (change data feed) of a range of table versions.",
        discussion: """
        Prints the table's columns followed by _change_type (insert, delete, update_preimage, \
        update_postimage), _commit_version and _commit_timestamp. The table must have \
        delta.enableChangeDataFeed=true for every version in the range. Versions with change data \
        files are read from them; others from the rows their commits added and removed.

        Examples:
          floe changes /data/events --from 5
          floe changes /data/events --from 5 --to 7 --format ndjson
        """)

    @Argument(help: "The table directory.")
    var table: String

    @Option(help: "The first version whose changes are printed.")
    var from: Int64

    @Option(help: "The last version whose changes are printed (default: the latest).")
    var to: Int64?

    @Option(help: "Output format: table, ndjson or csv.")
    var format: RowFormatOption = .table

    func validate() throws {
        if from < 0 { throw ValidationError("--from must not be negative") }
        if let to, to < from { throw ValidationError("--to (\(to)) must not be before --from (\(from))") }
    }

    func run() throws {
        var feed = try Table(path: table).changeFeed(from: from, to: to)
        let printer = RowPrinter(format: format.value)
        printer.setSchema(feed.schema)
        var rows = 0
        while let batch = try feed.next() {
            try printer.write(batch)
            rows += batch.count
        }
        try printer.finish(rowCount: rows)
    }
}
