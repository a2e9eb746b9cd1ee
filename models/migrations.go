package models

import "gorm.io/gorm"

// migrations are the steps of the schema, in order (migrate.go runs them).
var migrations = []migration{
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
	// Marks, terms and copy numbers as the law writes them (R20–R22): the
	// levels 内部 (-1) and 非密 (-2); a carrier without a 份号 (0), which the
	// duplicate check skips; the 成文日期 a term counts from; terms in months;
	// an electronic carrier's capacity. Every column added has a default, so
	// no row's values change and every row keeps its seal; an existing
	// record's 成文日期 is blank, so its term still counts from the 收文日期
	// and its expiry stays as it was until the clerk fills the date in.
	{13, "marks, terms and copy numbers as the law writes them", func(tx *gorm.DB) error {
		if err := rewriteCheck(tx, "carriers", map[string]string{
			"level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3)":          "level INTEGER NOT NULL CHECK (level IN (-2, -1, 1, 2, 3))",
			"copy_no INTEGER NOT NULL CHECK (copy_no BETWEEN 1 AND 999999)": "copy_no INTEGER NOT NULL CHECK (copy_no BETWEEN 0 AND 999999)",
		}); err != nil {
			return err
		}
		return execAll(
			`DROP INDEX idx_carriers_doc_copy`,
			`CREATE UNIQUE INDEX idx_carriers_doc_copy ON carriers(doc_number, copy_no)
				WHERE doc_number <> '' AND copy_no > 0 AND state <> 'voided'`,
			`ALTER TABLE carriers ADD COLUMN doc_date TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE carriers ADD COLUMN term_from TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE carriers ADD COLUMN term_months INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE carriers ADD COLUMN capacity TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE secrecy_changes ADD COLUMN old_term_months INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE secrecy_changes ADD COLUMN new_term_months INTEGER NOT NULL DEFAULT 0`,
		)(tx)
	}},
	// The carriers whose term counts from the 收文日期 because no 成文日期 is
	// recorded (R20): the ledger lists them for the clerk to fill it in.
	{14, "carriers without a document date", execAll(
		`CREATE INDEX idx_carriers_no_doc_date ON carriers(seq) WHERE doc_date = '' AND level > 0`,
	)},
	// What a change of mark rests on (R20): the office's decision (as
	// every change so far), the originating authority's notice, which names
	// no local approver, or the term's own end (自行解密), which has no
	// document. Existing rows hold the defaults and keep their seals.
	{15, "bases of secrecy changes", func(tx *gorm.DB) error {
		if err := execAll(
			`ALTER TABLE secrecy_changes ADD COLUMN basis TEXT NOT NULL DEFAULT 'decision'
				CHECK (basis IN ('decision', 'notice', 'expired'))`,
			`ALTER TABLE secrecy_changes ADD COLUMN authority TEXT NOT NULL DEFAULT ''`,
		)(tx); err != nil {
			return err
		}
		return rewriteCheck(tx, "secrecy_changes", map[string]string{
			"approver_id TEXT NOT NULL REFERENCES approvers(id)":      "approver_id TEXT REFERENCES approvers(id)",
			"authority_doc TEXT NOT NULL CHECK (authority_doc <> '')": "authority_doc TEXT NOT NULL CHECK (authority_doc <> '' OR basis = 'expired')",
		})
	}},
	// Copies as R23 has them: numbered in their original's own series (its
	// 份号 kept as a reference, never the issuer's next numbers, so they
	// leave the issuer's duplicate check), with their 复制戳; a 不得复制
	// flag; 部门, 承制单位 and the number of copies approved on the request.
	{16, "copies in their own series", execAll(
		`ALTER TABLE carriers ADD COLUMN copy_serial INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE carriers ADD COLUMN copy_stamp TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE carriers ADD COLUMN no_copy INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE copy_requests ADD COLUMN approved INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE copy_requests ADD COLUMN department TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE copy_requests ADD COLUMN maker TEXT NOT NULL DEFAULT ''`,
		`DROP INDEX idx_carriers_doc_copy`,
		`CREATE UNIQUE INDEX idx_carriers_doc_copy ON carriers(doc_number, copy_no)
			WHERE doc_number <> '' AND copy_no > 0 AND is_copy = 0 AND state <> 'voided'`,
	)},
	// 摘录 and 汇编 (R23): a copy request that makes a new document from parts
	// of one carrier or from several, the sources it names, and the sources
	// listed on each document made. Kept for good, like the rest.
	{17, "extracts and compilations", execAll(
		`ALTER TABLE copy_requests ADD COLUMN kind TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', '摘录', '汇编'))`,
		`ALTER TABLE copy_requests ADD COLUMN new_title TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE copy_requests ADD COLUMN need_to_know TEXT NOT NULL DEFAULT ''`,
		`CREATE TABLE copy_request_sources (
			request_id TEXT NOT NULL REFERENCES copy_requests(id),
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			ord INTEGER NOT NULL,
			PRIMARY KEY (request_id, carrier_id)
		)`,
		`CREATE TRIGGER copy_request_sources_no_change BEFORE UPDATE ON copy_request_sources
			BEGIN SELECT RAISE(ABORT, 'copy request sources are kept'); END`,
		`CREATE TRIGGER copy_request_sources_no_delete BEFORE DELETE ON copy_request_sources
			BEGIN SELECT RAISE(ABORT, 'copy request sources are kept'); END`,
		`CREATE TABLE carrier_sources (
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			source_id TEXT NOT NULL REFERENCES carriers(id),
			ord INTEGER NOT NULL,
			PRIMARY KEY (carrier_id, source_id)
		)`,
		`CREATE INDEX idx_carrier_sources_source ON carrier_sources(source_id)`,
		`CREATE TRIGGER carrier_sources_no_change BEFORE UPDATE ON carrier_sources
			BEGIN SELECT RAISE(ABORT, 'sources are kept'); END`,
		`CREATE TRIGGER carrier_sources_no_delete BEFORE DELETE ON carrier_sources
			BEGIN SELECT RAISE(ABORT, 'sources are kept'); END`,
	)},
	// 定密 of the office's own documents (R24): how a 定密责任人 is one, and
	// the 定密 record of each outgoing registration, kept for good.
	{18, "classification of own documents", execAll(
		`ALTER TABLE approvers ADD COLUMN designation TEXT NOT NULL DEFAULT '' CHECK (designation IN ('', '法定', '指定'))`,
		`ALTER TABLE approvers ADD COLUMN designation_doc TEXT NOT NULL DEFAULT ''`,
		`CREATE TABLE classifications (
			id TEXT PRIMARY KEY,
			slip_no TEXT NOT NULL,
			batch_id TEXT NOT NULL,
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			kind TEXT NOT NULL CHECK (kind IN ('原始', '派生')),
			level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
			term_kind TEXT NOT NULL CHECK (term_kind <> 'default'),
			term_years INTEGER NOT NULL DEFAULT 0,
			term_months INTEGER NOT NULL DEFAULT 0,
			term_until TEXT NOT NULL DEFAULT '',
			term_cond TEXT NOT NULL DEFAULT '',
			need_to_know TEXT NOT NULL CHECK (need_to_know <> ''),
			basis TEXT NOT NULL CHECK (basis <> ''),
			key_points TEXT NOT NULL DEFAULT '',
			undertaker TEXT NOT NULL,
			proposed_on TEXT NOT NULL,
			proposed_at DATETIME NOT NULL,
			proposed_by TEXT NOT NULL,
			state TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'referred')),
			authority_id TEXT REFERENCES approvers(id),
			authority TEXT NOT NULL DEFAULT '',
			changed TEXT NOT NULL DEFAULT '',
			signer TEXT NOT NULL DEFAULT '',
			decided_on TEXT NOT NULL DEFAULT '',
			decided_at DATETIME,
			decided_by TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE UNIQUE INDEX idx_classifications_slip ON classifications(slip_no)`,
		`CREATE UNIQUE INDEX idx_classifications_batch ON classifications(batch_id)`,
		`CREATE INDEX idx_classifications_state ON classifications(state, proposed_at)`,
		`CREATE TRIGGER classifications_no_delete BEFORE DELETE ON classifications
			BEGIN SELECT RAISE(ABORT, 'classifications are kept'); END`,
		`CREATE TRIGGER classifications_approved_final BEFORE UPDATE ON classifications
			WHEN OLD.state = 'approved'
			BEGIN SELECT RAISE(ABORT, 'an approved classification is final'); END`,
	)},
	// 印制 and 分发 of the office's own documents (R25): the printing with its
	// spoiled sheets, the 分送范围, and each copy sent with its 签收 or 回执.
	{19, "printing and dispatch", execAll(
		// 报请上级确定 (R24): the superior's decision as entered.
		`ALTER TABLE classifications ADD COLUMN superior TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE classifications ADD COLUMN superior_doc TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE classifications ADD COLUMN superior_on TEXT NOT NULL DEFAULT ''`,
		`CREATE TABLE printings (
			id TEXT PRIMARY KEY,
			slip_no TEXT NOT NULL,
			batch_id TEXT NOT NULL,
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			copies INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 9999),
			first_no INTEGER NOT NULL,
			last_no INTEGER NOT NULL CHECK (last_no >= first_no),
			printer TEXT NOT NULL CHECK (printer <> ''),
			printed_on TEXT NOT NULL,
			spoiled INTEGER NOT NULL CHECK (spoiled >= 0),
			proofs INTEGER NOT NULL CHECK (proofs >= 0),
			destruction_id TEXT REFERENCES destruction_batches(id),
			created_at DATETIME NOT NULL,
			created_by TEXT NOT NULL
		)`,
		`CREATE UNIQUE INDEX idx_printings_slip ON printings(slip_no)`,
		`CREATE UNIQUE INDEX idx_printings_batch ON printings(batch_id)`,
		`CREATE INDEX idx_printings_destruction ON printings(destruction_id) WHERE destruction_id IS NOT NULL`,
		`CREATE TRIGGER printings_no_change BEFORE UPDATE ON printings
			BEGIN SELECT RAISE(ABORT, 'a printing record is final'); END`,
		`CREATE TRIGGER printings_no_delete BEFORE DELETE ON printings
			BEGIN SELECT RAISE(ABORT, 'printing records are kept'); END`,
		`CREATE TABLE dispatch_lines (
			id TEXT PRIMARY KEY,
			batch_id TEXT NOT NULL,
			ord INTEGER NOT NULL,
			recipient TEXT NOT NULL CHECK (recipient <> ''),
			copies INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 999),
			channel TEXT NOT NULL CHECK (channel IN ('机要交通', '机要通信', '机要文件交换站', '机要收发人员')),
			created_at DATETIME NOT NULL,
			created_by TEXT NOT NULL
		)`,
		`CREATE UNIQUE INDEX idx_dispatch_lines_batch ON dispatch_lines(batch_id, ord)`,
		`CREATE TRIGGER dispatch_lines_no_change BEFORE UPDATE ON dispatch_lines
			BEGIN SELECT RAISE(ABORT, 'a dispatch line is final'); END`,
		`CREATE TRIGGER dispatch_lines_no_delete BEFORE DELETE ON dispatch_lines
			BEGIN SELECT RAISE(ABORT, 'dispatch lines are kept'); END`,
		`CREATE TABLE sendings (
			id TEXT PRIMARY KEY,
			batch_id TEXT NOT NULL,
			line_id TEXT NOT NULL REFERENCES dispatch_lines(id),
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			recipient TEXT NOT NULL,
			channel TEXT NOT NULL,
			sent_on TEXT NOT NULL,
			handler TEXT NOT NULL CHECK (handler <> ''),
			sealed INTEGER NOT NULL DEFAULT 0,
			sent_at DATETIME NOT NULL,
			sent_by TEXT NOT NULL,
			receipt TEXT NOT NULL DEFAULT '' CHECK (receipt IN ('', '签收', '回执')),
			receipt_no TEXT NOT NULL DEFAULT '',
			receipt_on TEXT NOT NULL DEFAULT '',
			returned_on TEXT NOT NULL DEFAULT '',
			return_note TEXT NOT NULL DEFAULT ''
		)`,
		// A copy is out to one recipient at a time.
		`CREATE UNIQUE INDEX idx_sendings_carrier ON sendings(carrier_id) WHERE returned_on = ''`,
		`CREATE INDEX idx_sendings_batch ON sendings(batch_id, sent_on)`,
		`CREATE INDEX idx_sendings_line ON sendings(line_id)`,
		`CREATE INDEX idx_sendings_day ON sendings(sent_on, channel)`,
		// The home's and the ledger's 回执逾期, from the index alone.
		`CREATE INDEX idx_sendings_outstanding ON sendings(sent_on) WHERE receipt_on = '' AND returned_on = ''`,
		`CREATE TRIGGER sendings_no_delete BEFORE DELETE ON sendings
			BEGIN SELECT RAISE(ABORT, 'sendings are kept'); END`,
		`CREATE TRIGGER sendings_fixed BEFORE UPDATE ON sendings
			WHEN NEW.id <> OLD.id OR NEW.batch_id <> OLD.batch_id OR NEW.line_id <> OLD.line_id
				OR NEW.carrier_id <> OLD.carrier_id OR NEW.recipient <> OLD.recipient
				OR NEW.channel <> OLD.channel OR NEW.sent_on <> OLD.sent_on OR NEW.handler <> OLD.handler
				OR NEW.sealed <> OLD.sealed OR NEW.sent_at <> OLD.sent_at OR NEW.sent_by <> OLD.sent_by
				OR (OLD.receipt_on <> '' AND (NEW.receipt_on <> OLD.receipt_on OR NEW.receipt_no <> OLD.receipt_no
					OR NEW.receipt <> OLD.receipt))
				OR (OLD.returned_on <> '' AND (NEW.returned_on <> OLD.returned_on OR NEW.return_note <> OLD.return_note))
			BEGIN SELECT RAISE(ABORT, 'a sending is only acknowledged or returned'); END`,
	)},
	// The home's 待定密 (R24): the copies of the office's own 国家秘密
	// documents in store, in registration order.
	{20, "index of own documents in store", execAll(
		`CREATE INDEX idx_carriers_own_pending ON carriers(seq)
			WHERE direction = 'out' AND is_copy = 0 AND level > 0 AND state = 'in_store'`,
	)},
	// The working calendar the security officer keeps, over the built-in
	// schedules (R27), and handling acts besides 传阅: 分办, 阅知, 存查.
	{21, "calendar and handling", execAll(
		`CREATE TABLE calendar_days (
			day TEXT PRIMARY KEY,
			kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday', 'normal')),
			name TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE TABLE handlings (
			id TEXT PRIMARY KEY,
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			kind TEXT NOT NULL CHECK (kind IN ('分办', '阅知', '存查')),
			to_whom TEXT NOT NULL DEFAULT '',
			note TEXT NOT NULL DEFAULT '',
			at DATETIME NOT NULL,
			by_name TEXT NOT NULL
		)`,
		`CREATE INDEX idx_handlings_carrier ON handlings(carrier_id)`,
		`CREATE TRIGGER handlings_no_change BEFORE UPDATE ON handlings
			BEGIN SELECT RAISE(ABORT, 'a handling is final'); END`,
		`CREATE TRIGGER handlings_no_delete BEFORE DELETE ON handlings
			BEGIN SELECT RAISE(ABORT, 'handlings are kept'); END`,
	)},
	// Take-outs record who goes along, how the carrier is protected and
	// whether it leaves the country; 绝密 loans are read in the office (R27).
	{22, "loan details", execAll(
		`ALTER TABLE loans ADD COLUMN companion TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE loans ADD COLUMN measures TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE loans ADD COLUMN abroad INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE loans ADD COLUMN abroad_doc TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE loans ADD COLUMN in_office INTEGER NOT NULL DEFAULT 0`,
	)},
	// Handovers of a part, temporary handovers for leave and the handover
	// that gives one back (R27).
	{23, "temporary handovers", execAll(
		`ALTER TABLE handovers ADD COLUMN temporary INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE handovers ADD COLUMN return_on TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE handovers ADD COLUMN ends_id TEXT REFERENCES handovers(id)`,
		`CREATE UNIQUE INDEX idx_handovers_ends ON handovers(ends_id) WHERE ends_id IS NOT NULL`,
	)},
	// The office's list of people (R27): one spelling of each name.
	{24, "people", execAll(
		`CREATE TABLE persons (
			id TEXT PRIMARY KEY,
			name TEXT NOT NULL CHECK (name <> ''),
			department TEXT NOT NULL DEFAULT '',
			title TEXT NOT NULL DEFAULT '',
			grade TEXT NOT NULL DEFAULT '' CHECK (grade IN ('', '核心', '重要', '一般')),
			has_left INTEGER NOT NULL DEFAULT 0,
			left_on TEXT NOT NULL DEFAULT '',
			note TEXT NOT NULL DEFAULT '',
			created_at DATETIME NOT NULL,
			created_by TEXT NOT NULL
		)`,
		`CREATE UNIQUE INDEX idx_persons_name ON persons(name)`,
		`CREATE TRIGGER persons_no_delete BEFORE DELETE ON persons
			BEGIN SELECT RAISE(ABORT, 'people are kept'); END`,
	)},
	// A reason recorded when a carrier goes to someone outside its 知悉范围 (R27).
	{25, "need-to-know reasons", execAll(
		`ALTER TABLE loans ADD COLUMN outside_reason TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE circulation_steps ADD COLUMN outside_reason TEXT NOT NULL DEFAULT ''`,
	)},
	// 办理时限 of a document, chased (催办) once past (R27).
	{26, "handling deadline", execAll(
		`ALTER TABLE carriers ADD COLUMN deadline TEXT NOT NULL DEFAULT ''`,
		`CREATE INDEX idx_carriers_deadline ON carriers(deadline) WHERE deadline <> ''`,
	)},
}
