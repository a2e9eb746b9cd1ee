package models

// migrations are the schema's steps in order: the register as first
// built, then the rules added after the first inspection (R20–R27).
var migrations = append(baseMigrations, lawMigrations...)

// baseMigrations built the register up to its sealing (schema 12).
var baseMigrations = []migration{
	{1, "register", execAll(
		`CREATE TABLE carriers (
			id TEXT PRIMARY KEY,
			seq INTEGER NOT NULL,
			reg_no TEXT NOT NULL,
			direction TEXT NOT NULL,
			year INTEGER NOT NULL,
			reg_date TEXT NOT NULL,
			doc_number TEXT NOT NULL DEFAULT '',
			title TEXT NOT NULL,
			issuer TEXT NOT NULL DEFAULT '',
			doc_kind TEXT NOT NULL DEFAULT '',
			level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
			term_kind TEXT NOT NULL,
			term_years INTEGER NOT NULL DEFAULT 0,
			term_until TEXT NOT NULL DEFAULT '',
			term_condition TEXT NOT NULL DEFAULT '',
			copy_no INTEGER NOT NULL CHECK (copy_no BETWEEN 1 AND 999999),
			copy_count INTEGER NOT NULL,
			batch_id TEXT NOT NULL,
			pages INTEGER NOT NULL DEFAULT 0,
			urgency TEXT NOT NULL DEFAULT '',
			kind TEXT NOT NULL,
			need_to_know TEXT NOT NULL DEFAULT '',
			location TEXT NOT NULL DEFAULT '',
			custodian TEXT NOT NULL DEFAULT '',
			remarks TEXT NOT NULL DEFAULT '',
			state TEXT NOT NULL,
			void_reason TEXT NOT NULL DEFAULT '',
			is_copy INTEGER NOT NULL DEFAULT 0,
			original_id TEXT REFERENCES carriers(id),
			version INTEGER NOT NULL DEFAULT 1,
			created_at DATETIME NOT NULL,
			created_by TEXT NOT NULL,
			updated_at DATETIME NOT NULL
		)`,
		`CREATE UNIQUE INDEX idx_carriers_seq ON carriers(seq)`,
		`CREATE UNIQUE INDEX idx_carriers_reg_no ON carriers(reg_no)`,
		// R12: one 文号 carries each 份号 once; a voided entry frees its numbers.
		`CREATE UNIQUE INDEX idx_carriers_doc_copy ON carriers(doc_number, copy_no)
			WHERE doc_number <> '' AND state <> 'voided'`,
		// Composite indexes serve the ledger's filters and counts from the index alone.
		`CREATE INDEX idx_carriers_state_level ON carriers(state, level, kind, year, seq)`,
		`CREATE INDEX idx_carriers_issuer ON carriers(issuer, seq)`,
		`CREATE INDEX idx_carriers_reg_date ON carriers(reg_date, seq)`,
		`CREATE INDEX idx_carriers_batch ON carriers(batch_id)`,
		`CREATE TABLE carrier_events (
			id TEXT PRIMARY KEY,
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			at DATETIME NOT NULL,
			ord INTEGER NOT NULL,
			actor TEXT NOT NULL,
			action TEXT NOT NULL,
			field TEXT NOT NULL DEFAULT '',
			old_value TEXT NOT NULL DEFAULT '',
			new_value TEXT NOT NULL DEFAULT '',
			reason TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX idx_carrier_events_carrier ON carrier_events(carrier_id, at, ord)`,
		// R14: history is never changed or deleted, not even by a stray statement.
		`CREATE TRIGGER carrier_events_no_update BEFORE UPDATE ON carrier_events
			BEGIN SELECT RAISE(ABORT, 'carrier history is append-only'); END`,
		`CREATE TRIGGER carrier_events_no_delete BEFORE DELETE ON carrier_events
			BEGIN SELECT RAISE(ABORT, 'carrier history is append-only'); END`,
		`CREATE TRIGGER carriers_no_delete BEFORE DELETE ON carriers
			BEGIN SELECT RAISE(ABORT, 'carriers are never deleted: void them'); END`,
		`CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
		`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
		// The keyword index: one row per carrier (rowid = carriers.seq) holding
		// the overlapping two-character tokens of its title, 文号, 来文单位 and
		// 登记号 (see SearchTokens). Contentless: the text lives in carriers.
		`CREATE VIRTUAL TABLE carrier_search USING fts5(
			tokens, content='', contentless_delete=1, tokenize='ascii', prefix='4', detail=full)`,
	)},
	{2, "accounts and audit trail", execAll(
		`CREATE TABLE users (
			id TEXT PRIMARY KEY,
			login TEXT NOT NULL,
			full_name TEXT NOT NULL,
			role TEXT NOT NULL CHECK (role IN ('clerk','secadmin','sysadmin','auditor')),
			password_hash TEXT NOT NULL,
			must_change INTEGER NOT NULL DEFAULT 1,
			failed_count INTEGER NOT NULL DEFAULT 0,
			locked_until DATETIME,
			disabled INTEGER NOT NULL DEFAULT 0,
			created_at DATETIME NOT NULL,
			created_by TEXT NOT NULL,
			updated_at DATETIME NOT NULL,
			version INTEGER NOT NULL DEFAULT 1
		)`,
		`CREATE UNIQUE INDEX idx_users_login ON users(login)`,
		`CREATE TRIGGER users_no_delete BEFORE DELETE ON users
			BEGIN SELECT RAISE(ABORT, 'accounts are never deleted: disable them'); END`,
		// The audit trail (R18): rowid-aliased sequence, insert only.
		`CREATE TABLE audit_log (
			seq INTEGER PRIMARY KEY,
			at DATETIME NOT NULL,
			login TEXT NOT NULL,
			role TEXT NOT NULL,
			event TEXT NOT NULL,
			object TEXT NOT NULL,
			success INTEGER NOT NULL,
			detail TEXT NOT NULL,
			hash TEXT NOT NULL
		)`,
		`CREATE INDEX idx_audit_log_at ON audit_log(at)`,
		`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`,
		`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`,
		// The database's identity names its audit key file.
		`INSERT INTO settings(key, value) VALUES ('db_id', lower(hex(randomblob(16))))`,
		`ALTER TABLE carrier_events ADD COLUMN actor_login TEXT NOT NULL DEFAULT ''`,
	)},
	{3, "backups", execAll(
		// Every backup written (and read back) by the program: where, when,
		// how big, its SHA-256, what it holds. Kept for good, like the trail.
		`CREATE TABLE backups (
			id TEXT PRIMARY KEY,
			created_at DATETIME NOT NULL,
			verified_at DATETIME,
			path TEXT NOT NULL,
			size INTEGER NOT NULL,
			sha256 TEXT NOT NULL,
			schema_version INTEGER NOT NULL,
			carriers INTEGER NOT NULL,
			events INTEGER NOT NULL,
			audit_records INTEGER NOT NULL,
			users INTEGER NOT NULL,
			created_by TEXT NOT NULL
		)`,
		`CREATE INDEX idx_backups_created ON backups(created_at)`,
		`CREATE INDEX idx_backups_sha256 ON backups(sha256)`,
		`CREATE TRIGGER backups_no_delete BEFORE DELETE ON backups
			BEGIN SELECT RAISE(ABORT, 'backup records are kept'); END`,
	)},
	{4, "approvers and copy requests", execAll(
		// 审批人: whose signed decisions the clerk records (R9). Never deleted.
		`CREATE TABLE approvers (
			id TEXT PRIMARY KEY,
			name TEXT NOT NULL,
			title TEXT NOT NULL DEFAULT '',
			actions TEXT NOT NULL,
			max_level INTEGER NOT NULL CHECK (max_level BETWEEN 1 AND 3),
			active INTEGER NOT NULL DEFAULT 1,
			created_at DATETIME NOT NULL,
			created_by TEXT NOT NULL,
			updated_at DATETIME NOT NULL
		)`,
		`CREATE TRIGGER approvers_no_delete BEFORE DELETE ON approvers
			BEGIN SELECT RAISE(ABORT, 'approvers are never deleted: make them inactive'); END`,
		// 复制申请/审批单 (R1, R9): kept for good (R14).
		`CREATE TABLE copy_requests (
			id TEXT PRIMARY KEY,
			slip_no TEXT NOT NULL,
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			copies INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 99),
			purpose TEXT NOT NULL,
			requester TEXT NOT NULL,
			authority_doc TEXT NOT NULL DEFAULT '',
			requested_on TEXT NOT NULL,
			requested_at DATETIME NOT NULL,
			requested_by TEXT NOT NULL,
			state TEXT NOT NULL CHECK (state IN ('pending','approved','refused')),
			approver_id TEXT REFERENCES approvers(id),
			approver_name TEXT NOT NULL DEFAULT '',
			decision TEXT NOT NULL DEFAULT '',
			opinion TEXT NOT NULL DEFAULT '',
			decided_on TEXT NOT NULL DEFAULT '',
			decided_at DATETIME,
			decided_by TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE UNIQUE INDEX idx_copy_requests_slip ON copy_requests(slip_no)`,
		`CREATE INDEX idx_copy_requests_carrier ON copy_requests(carrier_id)`,
		`CREATE INDEX idx_copy_requests_state ON copy_requests(state, requested_at)`,
		`CREATE TRIGGER copy_requests_no_delete BEFORE DELETE ON copy_requests
			BEGIN SELECT RAISE(ABORT, 'copy requests are kept'); END`,
		// A decided request is final: its decision is never rewritten.
		`CREATE TRIGGER copy_requests_decided_final BEFORE UPDATE ON copy_requests
			WHEN OLD.state <> 'pending'
			BEGIN SELECT RAISE(ABORT, 'a decided copy request is final'); END`,
		`CREATE INDEX idx_carriers_original ON carriers(original_id) WHERE original_id IS NOT NULL`,
	)},
	{5, "loans and take-outs", execAll(
		// 借阅 / 外出携带 审批单 (R3, R9): kept for good (R14).
		`CREATE TABLE loans (
			id TEXT PRIMARY KEY,
			slip_no TEXT NOT NULL,
			kind TEXT NOT NULL CHECK (kind IN ('loan','takeout')),
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			borrower TEXT NOT NULL,
			department TEXT NOT NULL DEFAULT '',
			purpose TEXT NOT NULL,
			destination TEXT NOT NULL DEFAULT '',
			requested_on TEXT NOT NULL,
			due_on TEXT NOT NULL,
			requested_at DATETIME NOT NULL,
			requested_by TEXT NOT NULL,
			state TEXT NOT NULL CHECK (state IN ('pending','approved','refused','out','returned')),
			approver_id TEXT REFERENCES approvers(id),
			approver_name TEXT NOT NULL DEFAULT '',
			decision TEXT NOT NULL DEFAULT '',
			opinion TEXT NOT NULL DEFAULT '',
			decided_on TEXT NOT NULL DEFAULT '',
			decided_at DATETIME,
			decided_by TEXT NOT NULL DEFAULT '',
			out_on TEXT NOT NULL DEFAULT '',
			returned_on TEXT NOT NULL DEFAULT '',
			return_check TEXT NOT NULL DEFAULT '' CHECK (return_check IN ('','完好','缺损')),
			return_note TEXT NOT NULL DEFAULT '',
			returned_at DATETIME,
			returned_by TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE UNIQUE INDEX idx_loans_slip ON loans(slip_no)`,
		`CREATE INDEX idx_loans_carrier ON loans(carrier_id)`,
		`CREATE INDEX idx_loans_state ON loans(state, due_on)`,
		`CREATE TRIGGER loans_no_delete BEFORE DELETE ON loans
			BEGIN SELECT RAISE(ABORT, 'loans are kept'); END`,
		// A refused or returned loan is final.
		`CREATE TRIGGER loans_final BEFORE UPDATE ON loans
			WHEN OLD.state IN ('refused','returned')
			BEGIN SELECT RAISE(ABORT, 'a refused or returned loan is final'); END`,
	)},
	{6, "destruction batches and return flag", execAll(
		// 清退: an item flagged to go back to its issuer is never destroyed (R16).
		`ALTER TABLE carriers ADD COLUMN return_to_issuer INTEGER NOT NULL DEFAULT 0`,
		// 销毁审批单 (R2, R9, R17): kept for good (R14).
		`CREATE TABLE destruction_batches (
			id TEXT PRIMARY KEY,
			slip_no TEXT NOT NULL,
			reason TEXT NOT NULL,
			requester TEXT NOT NULL,
			requested_on TEXT NOT NULL,
			requested_at DATETIME NOT NULL,
			requested_by TEXT NOT NULL,
			state TEXT NOT NULL CHECK (state IN ('pending','approved','refused','destroyed')),
			approver_id TEXT REFERENCES approvers(id),
			approver_name TEXT NOT NULL DEFAULT '',
			decision TEXT NOT NULL DEFAULT '',
			opinion TEXT NOT NULL DEFAULT '',
			decided_on TEXT NOT NULL DEFAULT '',
			decided_at DATETIME,
			decided_by TEXT NOT NULL DEFAULT '',
			method TEXT NOT NULL DEFAULT '' CHECK (method IN ('','送销','自行销毁')),
			equipment_no TEXT NOT NULL DEFAULT '',
			place TEXT NOT NULL DEFAULT '',
			destroyed_on TEXT NOT NULL DEFAULT '',
			witness1 TEXT NOT NULL DEFAULT '',
			witness2 TEXT NOT NULL DEFAULT '',
			escort1 TEXT NOT NULL DEFAULT '',
			escort2 TEXT NOT NULL DEFAULT '',
			destroyed_at DATETIME,
			destroyed_by TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE UNIQUE INDEX idx_destruction_batches_slip ON destruction_batches(slip_no)`,
		`CREATE INDEX idx_destruction_batches_state ON destruction_batches(state, requested_at)`,
		`CREATE TRIGGER destruction_batches_no_delete BEFORE DELETE ON destruction_batches
			BEGIN SELECT RAISE(ABORT, 'destruction batches are kept'); END`,
		`CREATE TRIGGER destruction_batches_final BEFORE UPDATE ON destruction_batches
			WHEN OLD.state IN ('refused','destroyed')
			BEGIN SELECT RAISE(ABORT, 'a refused or destroyed batch is final'); END`,
		`CREATE TABLE destruction_items (
			id TEXT PRIMARY KEY,
			batch_id TEXT NOT NULL REFERENCES destruction_batches(id),
			ord INTEGER NOT NULL,
			carrier_id TEXT NOT NULL REFERENCES carriers(id)
		)`,
		`CREATE UNIQUE INDEX idx_destruction_items_batch ON destruction_items(batch_id, ord)`,
		`CREATE UNIQUE INDEX idx_destruction_items_carrier_batch ON destruction_items(carrier_id, batch_id)`,
		`CREATE TRIGGER destruction_items_no_delete BEFORE DELETE ON destruction_items
			BEGIN SELECT RAISE(ABORT, 'destruction items are kept'); END`,
		`CREATE TRIGGER destruction_items_no_update BEFORE UPDATE ON destruction_items
			BEGIN SELECT RAISE(ABORT, 'destruction items are never changed'); END`,
	)},
	{7, "secrecy changes", execAll(
		`CREATE TABLE secrecy_changes (
			id TEXT PRIMARY KEY,
			group_id TEXT NOT NULL,
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			kind TEXT NOT NULL,
			old_level INTEGER NOT NULL,
			old_term_kind TEXT NOT NULL,
			old_term_years INTEGER NOT NULL DEFAULT 0,
			old_term_until TEXT NOT NULL DEFAULT '',
			old_term_cond TEXT NOT NULL DEFAULT '',
			old_marking TEXT NOT NULL,
			new_level INTEGER NOT NULL,
			new_term_kind TEXT NOT NULL DEFAULT '',
			new_term_years INTEGER NOT NULL DEFAULT 0,
			new_term_until TEXT NOT NULL DEFAULT '',
			new_term_cond TEXT NOT NULL DEFAULT '',
			new_marking TEXT NOT NULL,
			approver_id TEXT NOT NULL REFERENCES approvers(id),
			approver_name TEXT NOT NULL,
			authority_doc TEXT NOT NULL CHECK (authority_doc <> ''),
			reason TEXT NOT NULL DEFAULT '',
			decided_on TEXT NOT NULL,
			recorded_at DATETIME NOT NULL,
			recorded_by TEXT NOT NULL
		)`,
		`CREATE INDEX idx_secrecy_changes_carrier ON secrecy_changes(carrier_id, recorded_at)`,
		`CREATE TRIGGER secrecy_changes_no_delete BEFORE DELETE ON secrecy_changes
			BEGIN SELECT RAISE(ABORT, 'secrecy changes are kept'); END`,
		`CREATE TRIGGER secrecy_changes_no_update BEFORE UPDATE ON secrecy_changes
			BEGIN SELECT RAISE(ABORT, 'secrecy changes are never changed'); END`,
	)},
	{8, "circulation", execAll(
		`CREATE TABLE circulations (
			id TEXT PRIMARY KEY,
			slip_no TEXT NOT NULL,
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			proposed_handling TEXT NOT NULL DEFAULT '',
			state TEXT NOT NULL,
			current_reader TEXT NOT NULL DEFAULT '',
			started_at DATETIME NOT NULL,
			started_by TEXT NOT NULL,
			closed_at DATETIME,
			closed_by TEXT NOT NULL DEFAULT '',
			close_note TEXT NOT NULL DEFAULT '',
			instruction TEXT NOT NULL DEFAULT '',
			result TEXT NOT NULL DEFAULT '',
			version INTEGER NOT NULL
		)`,
		`CREATE UNIQUE INDEX idx_circulations_slip ON circulations(slip_no)`,
		`CREATE UNIQUE INDEX idx_circulations_open ON circulations(carrier_id) WHERE state = 'open'`,
		`CREATE INDEX idx_circulations_carrier ON circulations(carrier_id, started_at)`,
		`CREATE TABLE circulation_steps (
			circulation_id TEXT NOT NULL REFERENCES circulations(id),
			ord INTEGER NOT NULL,
			reader TEXT NOT NULL,
			department TEXT NOT NULL DEFAULT '',
			out_at DATETIME,
			back_at DATETIME,
			count_ok BOOLEAN NOT NULL DEFAULT 0,
			discrepancy TEXT NOT NULL DEFAULT '',
			PRIMARY KEY (circulation_id, ord)
		)`,
		`CREATE TRIGGER circulations_no_delete BEFORE DELETE ON circulations
			BEGIN SELECT RAISE(ABORT, 'circulations are kept'); END`,
		`CREATE TRIGGER circulation_steps_no_delete BEFORE DELETE ON circulation_steps
			BEGIN SELECT RAISE(ABORT, 'circulation steps are kept'); END`,
	)},
	{9, "self-inspections and handovers", execAll(
		`CREATE TABLE inspections (
			id TEXT PRIMARY KEY,
			slip_no TEXT NOT NULL,
			custodian TEXT NOT NULL,
			started_on TEXT NOT NULL,
			started_at DATETIME NOT NULL,
			started_by TEXT NOT NULL,
			state TEXT NOT NULL,
			closed_on TEXT NOT NULL DEFAULT '',
			closed_at DATETIME,
			closed_by TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE UNIQUE INDEX idx_inspections_slip ON inspections(slip_no)`,
		`CREATE UNIQUE INDEX idx_inspections_open ON inspections(custodian) WHERE state = 'open'`,
		`CREATE INDEX idx_inspections_custodian ON inspections(custodian, state, closed_on)`,
		`CREATE TABLE inspection_items (
			inspection_id TEXT NOT NULL REFERENCES inspections(id),
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			reg_no TEXT NOT NULL,
			level INTEGER NOT NULL,
			expected BOOLEAN NOT NULL,
			found BOOLEAN NOT NULL DEFAULT 0,
			found_at DATETIME,
			status TEXT NOT NULL,
			resolution TEXT NOT NULL DEFAULT '',
			resolved_at DATETIME,
			resolved_by TEXT NOT NULL DEFAULT '',
			PRIMARY KEY (inspection_id, carrier_id)
		)`,
		`CREATE TRIGGER inspections_no_delete BEFORE DELETE ON inspections
			BEGIN SELECT RAISE(ABORT, 'inspections are kept'); END`,
		`CREATE TRIGGER inspection_items_no_delete BEFORE DELETE ON inspection_items
			BEGIN SELECT RAISE(ABORT, 'inspection items are kept'); END`,
		`CREATE TABLE handovers (
			id TEXT PRIMARY KEY,
			slip_no TEXT NOT NULL,
			from_custodian TEXT NOT NULL,
			to_custodian TEXT NOT NULL,
			witness TEXT NOT NULL DEFAULT '',
			note TEXT NOT NULL DEFAULT '',
			handed_on TEXT NOT NULL,
			created_at DATETIME NOT NULL,
			created_by TEXT NOT NULL
		)`,
		`CREATE UNIQUE INDEX idx_handovers_slip ON handovers(slip_no)`,
		`CREATE TABLE handover_items (
			handover_id TEXT NOT NULL REFERENCES handovers(id),
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			reg_no TEXT NOT NULL,
			level INTEGER NOT NULL,
			state TEXT NOT NULL,
			PRIMARY KEY (handover_id, carrier_id)
		)`,
		`CREATE TRIGGER handovers_no_delete BEFORE DELETE ON handovers
			BEGIN SELECT RAISE(ABORT, 'handovers are kept'); END`,
		`CREATE TRIGGER handovers_no_update BEFORE UPDATE ON handovers
			BEGIN SELECT RAISE(ABORT, 'handovers are kept'); END`,
		`CREATE TRIGGER handover_items_no_delete BEFORE DELETE ON handover_items
			BEGIN SELECT RAISE(ABORT, 'handover items are kept'); END`,
	)},
	{10, "returns to issuers and archiving", execAll(
		`CREATE TABLE return_batches (
			id TEXT PRIMARY KEY,
			slip_no TEXT NOT NULL,
			issuer TEXT NOT NULL,
			state TEXT NOT NULL,
			created_at DATETIME NOT NULL,
			created_by TEXT NOT NULL,
			handed_over_on TEXT NOT NULL DEFAULT '',
			handed_to TEXT NOT NULL DEFAULT '',
			handed_by TEXT NOT NULL DEFAULT '',
			handed_at DATETIME
		)`,
		`CREATE UNIQUE INDEX idx_return_batches_slip ON return_batches(slip_no)`,
		`CREATE TABLE return_items (
			batch_id TEXT NOT NULL REFERENCES return_batches(id),
			ord INTEGER NOT NULL,
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			PRIMARY KEY (batch_id, carrier_id)
		)`,
		`CREATE INDEX idx_return_items_carrier ON return_items(carrier_id)`,
		`CREATE TRIGGER return_batches_no_delete BEFORE DELETE ON return_batches
			BEGIN SELECT RAISE(ABORT, 'return batches are kept'); END`,
		`CREATE TRIGGER return_items_no_delete BEFORE DELETE ON return_items
			BEGIN SELECT RAISE(ABORT, 'return items are kept'); END`,
		`CREATE TABLE archives (
			carrier_id TEXT PRIMARY KEY REFERENCES carriers(id),
			file_no TEXT NOT NULL,
			note TEXT NOT NULL DEFAULT '',
			archived_on TEXT NOT NULL,
			created_at DATETIME NOT NULL,
			created_by TEXT NOT NULL
		)`,
		`CREATE INDEX idx_archives_file_no ON archives(file_no)`,
		`CREATE TRIGGER archives_no_delete BEFORE DELETE ON archives
			BEGIN SELECT RAISE(ABORT, 'archive records are kept'); END`,
		`CREATE TRIGGER archives_no_update BEFORE UPDATE ON archives
			BEGIN SELECT RAISE(ABORT, 'archive records are kept'); END`,
	)},
	// What each custodian holds (the home's self-inspections due, handovers)
	// is read from this index alone, without visiting the carriers.
	{11, "carriers by custodian", execAll(
		`CREATE INDEX idx_carriers_custodian ON carriers(custodian, state, level)`,
	)},
	// Every row of the register sealed in the audit chain (app/seal.go):
	// each audit record lists the row versions its transaction wrote (seals)
	// and the register's digest after them; row_seals holds the current
	// seal of every row (and the one before it, which the write that
	// replaces a seal reads back). The old in-database chain head is kept under
	// another name for the check made before the first seals.
	{12, "sealed register", execAll(
		`ALTER TABLE audit_log ADD COLUMN v INTEGER NOT NULL DEFAULT 1`,
		`ALTER TABLE audit_log ADD COLUMN seals BLOB`,
		`ALTER TABLE audit_log ADD COLUMN digest TEXT NOT NULL DEFAULT ''`,
		`CREATE TABLE row_seals (
			tbl TEXT NOT NULL,
			row_key TEXT NOT NULL,
			seq INTEGER NOT NULL,
			hash BLOB NOT NULL,
			cols BLOB NOT NULL,
			prev BLOB,
			PRIMARY KEY (tbl, row_key)
		) WITHOUT ROWID`,
		`UPDATE settings SET key = 'audit_head_v1' WHERE key = 'audit_head'`,
	)},
}
