import CSQLite

extension Database {
    /// Registers the virtual table module `name`: `CREATE VIRTUAL TABLE t USING name(args…)`
    /// then calls `connect` to make the ``VirtualTable`` (also whenever SQLite reconnects to it).
    ///
    /// The module lives as long as the connection (it is released when SQLite drops it).
    ///
    /// - Throws: ``SQLiteError`` when SQLite refuses the registration.
    public func createModule(named name: String, connect: @escaping (VirtualTableArguments) throws -> any VirtualTable) throws {
        let box = ModuleBox(connect: connect)
        let aux = Unmanaged.passRetained(box).toOpaque()
        // On failure SQLite calls the destructor itself, so the box is released exactly once.
        let code = sqlite3_create_module_v2(handle, name, box.module, aux) { aux in
            guard let aux else { return }
            Unmanaged<ModuleBox>.fromOpaque(aux).release()
        }
        try check(code)
    }
}

/// The Swift side of one registered module: the factory and the `sqlite3_module` of C callbacks
/// (which SQLite references, not copies, so it lives here until the module is dropped).
final class ModuleBox {
    let connect: (VirtualTableArguments) throws -> any VirtualTable
    let module: UnsafeMutablePointer<sqlite3_module>

    init(connect: @escaping (VirtualTableArguments) throws -> any VirtualTable) {
        self.connect = connect
        module = .allocate(capacity: 1)
        module.initialize(to: VirtualTableGlue.makeModule())
    }

    deinit {
        module.deinitialize(count: 1)
        module.deallocate()
    }
}

/// Owns a connected ``VirtualTable`` behind an `sqlite3_vtab`.
final class TableBox {
    let table: any VirtualTable
    init(_ table: any VirtualTable) { self.table = table }
}

/// Owns an open ``VirtualTableCursor`` behind an `sqlite3_vtab_cursor`.
final class CursorBox {
    let cursor: any VirtualTableCursor
    init(_ cursor: any VirtualTableCursor) { self.cursor = cursor }
}

/// An SQLite struct (`sqlite3_vtab` or `sqlite3_vtab_cursor`) followed in the same allocation by
/// a retained pointer to its Swift owner — the C idiom of "subclassing" those structs.
///
/// Invariant: `Header`'s stride is a multiple of a pointer's alignment (both SQLite structs start
/// with a pointer), so the trailing pointer is aligned.
enum Trailed<Header, Owner: AnyObject> {
    static var offset: Int { MemoryLayout<Header>.stride }

    static func allocate(_ header: Header, owner: Owner) -> UnsafeMutablePointer<Header> {
        let alignment = max(MemoryLayout<Header>.alignment, MemoryLayout<UnsafeMutableRawPointer>.alignment)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: offset + MemoryLayout<UnsafeMutableRawPointer>.size,
                                                   alignment: alignment)
        let pointer = raw.initializeMemory(as: Header.self, repeating: header, count: 1)
        (raw + offset).storeBytes(of: Unmanaged.passRetained(owner).toOpaque(), as: UnsafeMutableRawPointer.self)
        return pointer
    }

    static func owner(of pointer: UnsafeMutablePointer<Header>) -> Owner {
        let stored = (UnsafeMutableRawPointer(pointer) + offset).load(as: UnsafeMutableRawPointer.self)
        return Unmanaged<Owner>.fromOpaque(stored).takeUnretainedValue()
    }

    static func free(_ pointer: UnsafeMutablePointer<Header>) {
        let raw = UnsafeMutableRawPointer(pointer)
        Unmanaged<Owner>.fromOpaque((raw + offset).load(as: UnsafeMutableRawPointer.self)).release()
        pointer.deinitialize(count: 1)
        raw.deallocate()
    }
}

typealias VTab = Trailed<sqlite3_vtab, TableBox>
typealias VCursor = Trailed<sqlite3_vtab_cursor, CursorBox>

/// The C callbacks of every FloeSQLite module, forwarding to the Swift objects.
///
/// Errors thrown by Swift code become SQLite errors with the error's message: in `zErrMsg` of the
/// `sqlite3_vtab` (which SQLite reports as the statement's error), or via `sqlite3_result_error`
/// for column values.
enum VirtualTableGlue {
    static func makeModule() -> sqlite3_module {
        var m = sqlite3_module()
        m.iVersion = 1
        m.xCreate = { VirtualTableGlue.connect($0, $1, $2, $3, $4, $5) }
        m.xConnect = { VirtualTableGlue.connect($0, $1, $2, $3, $4, $5) }
        m.xBestIndex = { VirtualTableGlue.bestIndex($0, $1) }
        m.xDisconnect = { VirtualTableGlue.disconnect($0) }
        m.xDestroy = { VirtualTableGlue.disconnect($0) }
        m.xOpen = { VirtualTableGlue.open($0, $1) }
        m.xClose = { cursor in
            guard let cursor else { return SQLITE_OK }
            VCursor.free(cursor)
            return SQLITE_OK
        }
        m.xFilter = { VirtualTableGlue.filter($0, $1, $2, $3, $4) }
        m.xNext = { cursor in
            guard let cursor else { return SQLITE_ERROR }
            return VirtualTableGlue.run(cursor) { try $0.next() }
        }
        m.xEof = { cursor in
            guard let cursor else { return 1 }
            return VCursor.owner(of: cursor).cursor.isAtEnd ? 1 : 0
        }
        m.xColumn = { VirtualTableGlue.column($0, $1, $2) }
        m.xRowid = { cursor, rowID in
            guard let cursor, let rowID else { return SQLITE_ERROR }
            rowID.pointee = VCursor.owner(of: cursor).cursor.rowID
            return SQLITE_OK
        }
        return m
    }

    /// A copy of `text` in memory from `sqlite3_malloc`, as SQLite frees error messages and
    /// index strings.
    static func sqliteString(_ text: String) -> UnsafeMutablePointer<CChar>? {
        let bytes = Array(text.utf8)
        guard let memory = sqlite3_malloc64(sqlite3_uint64(bytes.count + 1)) else { return nil }
        let chars = memory.bindMemory(to: CChar.self, capacity: bytes.count + 1)
        for (i, b) in bytes.enumerated() { chars[i] = CChar(bitPattern: b) }
        chars[bytes.count] = 0
        return chars
    }

    /// The message SQLite reports for `error`. SQLite keeps messages as C strings, which end at
    /// the first NUL: a NUL (from a value or a name in the message) is spelled `\x00` so the rest
    /// of the message is not lost.
    static func message(_ error: any Error) -> String {
        let text: String
        if let e = error as? SQLiteError { text = e.message } else { text = "\(error)" }
        return text.contains("\0") ? text.replacingOccurrences(of: "\0", with: "\\x00") : text
    }

    static func setError(_ vtab: UnsafeMutablePointer<sqlite3_vtab>?, _ error: any Error) {
        guard let vtab else { return }
        if let old = vtab.pointee.zErrMsg { sqlite3_free(old) }
        vtab.pointee.zErrMsg = sqliteString(message(error))
    }

    static func connect(_ db: OpaquePointer?, _ aux: UnsafeMutableRawPointer?, _ argc: Int32,
                        _ argv: UnsafePointer<UnsafePointer<CChar>?>?,
                        _ table: UnsafeMutablePointer<UnsafeMutablePointer<sqlite3_vtab>?>?,
                        _ errorMessage: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
        guard let db, let aux, let table, argc >= 3 else { return SQLITE_ERROR }
        let module = Unmanaged<ModuleBox>.fromOpaque(aux).takeUnretainedValue()
        let strings = (0..<Int(argc)).map { i in argv?[i].map { String(cString: $0) } ?? "" }
        let arguments = VirtualTableArguments(moduleName: strings[0], databaseName: strings[1], tableName: strings[2],
                                              arguments: Array(strings.dropFirst(3)))
        do {
            let object = try module.connect(arguments)
            let code = sqlite3_declare_vtab(db, object.declaration)
            guard code == SQLITE_OK else {
                let text = String(cString: sqlite3_errmsg(db))
                errorMessage?.pointee = sqliteString("virtual table \(arguments.tableName): invalid declaration: \(text)")
                return code
            }
            table.pointee = VTab.allocate(sqlite3_vtab(), owner: TableBox(object))
            return SQLITE_OK
        } catch {
            errorMessage?.pointee = sqliteString(message(error))
            return SQLITE_ERROR
        }
    }

    static func disconnect(_ vtab: UnsafeMutablePointer<sqlite3_vtab>?) -> Int32 {
        guard let vtab else { return SQLITE_OK }
        if let old = vtab.pointee.zErrMsg {
            sqlite3_free(old)
            vtab.pointee.zErrMsg = nil
        }
        VTab.free(vtab)
        return SQLITE_OK
    }

    static func bestIndex(_ vtab: UnsafeMutablePointer<sqlite3_vtab>?, _ info: UnsafeMutablePointer<sqlite3_index_info>?) -> Int32 {
        guard let vtab, let info else { return SQLITE_ERROR }
        let object = VTab.owner(of: vtab).table
        let count = Int(info.pointee.nConstraint)
        var constraints: [IndexConstraint] = []
        constraints.reserveCapacity(count)
        for i in 0..<count {
            guard let c = info.pointee.aConstraint?[i] else { continue }
            var rhs: OpaquePointer?
            let usable = c.usable != 0
            let constant: SQLiteValue? = usable && sqlite3_vtab_rhs_value(info, Int32(i), &rhs) == SQLITE_OK ? SQLiteValue(rhs) : nil
            constraints.append(IndexConstraint(
                column: Int(c.iColumn), op: ConstraintOperator(code: Int32(c.op)), isUsable: usable, constantValue: constant,
                collation: sqlite3_vtab_collation(info, Int32(i)).map { String(cString: $0) },
                isInList: usable && sqlite3_vtab_in(info, Int32(i), -1) != 0))
        }
        var order: [IndexInfo.OrderTerm] = []
        for i in 0..<Int(info.pointee.nOrderBy) {
            if let o = info.pointee.aOrderBy?[i] {
                order.append(IndexInfo.OrderTerm(column: Int(o.iColumn), isDescending: o.desc != 0))
            }
        }
        let request = IndexInfo(constraints: constraints, orderBy: order, columnsUsed: UInt64(info.pointee.colUsed))
        do {
            let plan = try object.bestIndex(request)
            let indexes = plan.usages.values.map(\.argumentIndex).sorted()
            guard indexes == Array(stride(from: 1, through: indexes.count, by: 1)),
                  plan.usages.keys.allSatisfy({ $0 >= 0 && $0 < count && constraints[$0].isUsable }) else {
                throw SQLiteError(.internalError, "virtual table plan uses unusable constraints or non-contiguous argument indexes")
            }
            for (i, usage) in plan.usages {
                info.pointee.aConstraintUsage[i].argvIndex = Int32(usage.argumentIndex)
                info.pointee.aConstraintUsage[i].omit = usage.omitsCheck ? 1 : 0
                if usage.receivesAllValues && constraints[i].isInList { _ = sqlite3_vtab_in(info, Int32(i), 1) }
            }
            info.pointee.idxNum = plan.indexNumber
            if let text = plan.indexString, let copy = sqliteString(text) {
                info.pointee.idxStr = copy
                info.pointee.needToFreeIdxStr = 1
            }
            info.pointee.estimatedCost = plan.estimatedCost
            info.pointee.estimatedRows = sqlite3_int64(plan.estimatedRows)
            info.pointee.orderByConsumed = plan.consumesOrderBy ? 1 : 0
            return SQLITE_OK
        } catch {
            setError(vtab, error)
            return SQLITE_ERROR
        }
    }

    static func open(_ vtab: UnsafeMutablePointer<sqlite3_vtab>?,
                     _ cursor: UnsafeMutablePointer<UnsafeMutablePointer<sqlite3_vtab_cursor>?>?) -> Int32 {
        guard let vtab, let cursor else { return SQLITE_ERROR }
        do {
            let object = try VTab.owner(of: vtab).table.openCursor()
            cursor.pointee = VCursor.allocate(sqlite3_vtab_cursor(), owner: CursorBox(object))
            return SQLITE_OK
        } catch {
            setError(vtab, error)
            return SQLITE_ERROR
        }
    }

    /// Runs `body` on a cursor's Swift object, turning a thrown error into `SQLITE_ERROR` with the
    /// message on the cursor's table.
    static func run(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>, _ body: (any VirtualTableCursor) throws -> Void) -> Int32 {
        do {
            try body(VCursor.owner(of: cursor).cursor)
            return SQLITE_OK
        } catch {
            setError(cursor.pointee.pVtab, error)
            return SQLITE_ERROR
        }
    }

    static func filter(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?, _ indexNumber: Int32, _ indexString: UnsafePointer<CChar>?,
                       _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
        guard let cursor else { return SQLITE_ERROR }
        var arguments: [FilterArgument] = []
        for i in 0..<Int(argc) {
            let value = argv?[i]
            // An IN (…) operand requested all at once is a list; other values make
            // sqlite3_vtab_in_first fail with SQLITE_MISUSE.
            var item: OpaquePointer?
            if let value {
                var code = sqlite3_vtab_in_first(value, &item)
                if code == SQLITE_OK || code == SQLITE_DONE {
                    var list: [SQLiteValue] = []
                    while code == SQLITE_OK, let current = item {
                        list.append(SQLiteValue(current))
                        code = sqlite3_vtab_in_next(value, &item)
                    }
                    if code != SQLITE_DONE && code != SQLITE_OK { return code }
                    arguments.append(.list(list))
                    continue
                }
            }
            arguments.append(.value(SQLiteValue(value)))
        }
        let text = indexString.map { String(cString: $0) }
        return run(cursor) { try $0.filter(indexNumber: indexNumber, indexString: text, arguments: arguments) }
    }

    static func column(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?, _ context: OpaquePointer?, _ index: Int32) -> Int32 {
        guard let cursor, let context else { return SQLITE_ERROR }
        do {
            try VCursor.owner(of: cursor).cursor.column(Int(index), into: ColumnResult(context: context))
            return SQLITE_OK
        } catch {
            sqlite3_result_error(context, message(error), -1)
            return SQLITE_ERROR
        }
    }
}
