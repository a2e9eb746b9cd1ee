package models

import "gorm.io/gorm"

// migrations are the steps of the schema, in order (migrate.go runs them).
// lawMigrations follow the rules added after the first inspection
// (R20–R27): marks and terms as the law writes them, the office's own
// documents, the calendar, handovers and people.
var lawMigrations = []migration{
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
	// The yearly review of secrecy terms (保密法 每年审核, R26): a term kept
	// as it is after review; changes and declassifications are
	// secrecy_changes of their own.
	{27, "term reviews", execAll(
		`CREATE TABLE term_reviews (
			id TEXT PRIMARY KEY,
			year INTEGER NOT NULL,
			carrier_id TEXT NOT NULL REFERENCES carriers(id),
			marking TEXT NOT NULL,
			approver_id TEXT REFERENCES approvers(id),
			approver_name TEXT NOT NULL CHECK (approver_name <> ''),
			decided_on TEXT NOT NULL,
			note TEXT NOT NULL DEFAULT '',
			recorded_at DATETIME NOT NULL,
			recorded_by TEXT NOT NULL
		)`,
		`CREATE UNIQUE INDEX idx_term_reviews_year ON term_reviews(year, carrier_id)`,
		`CREATE TRIGGER term_reviews_no_change BEFORE UPDATE ON term_reviews
			BEGIN SELECT RAISE(ABORT, 'a review is final'); END`,
		`CREATE TRIGGER term_reviews_no_delete BEFORE DELETE ON term_reviews
			BEGIN SELECT RAISE(ABORT, 'reviews are kept'); END`,
	)},
	// Indexes for the home's lists, so that they read a few rows whatever
	// the size of the register:
	//   - the end of a 国家秘密 carrier's term as a column the database
	//     computes from the marks (TermExpiry's arithmetic; SQLite carries
	//     month ends over as Go does), and an index of the held ones by it:
	//     保密期限将到期 and the yearly review read the soonest ends first
	//     (R15, R26);
	//   - the held 国家秘密 carriers whose term is a 解密条件, which the
	//     yearly review lists every year (R26);
	//   - the incoming carriers in store by 缓急 and registration time: the
	//     oldest not yet handled are the most overdue (R7, R27).
	{28, "home list indexes", execAll(
		`ALTER TABLE carriers ADD COLUMN term_end TEXT GENERATED ALWAYS AS (`+termEndSQL+`) VIRTUAL`,
		`CREATE INDEX idx_carriers_term_end ON carriers(term_end, seq) WHERE term_end IS NOT NULL AND `+HeldSQL,
		`CREATE INDEX idx_carriers_unhandled ON carriers(urgency, created_at, seq)
			WHERE direction = 'in' AND state = 'in_store' AND is_copy = 0`,
		`CREATE INDEX idx_carriers_condition ON carriers(seq)
			WHERE term_kind = 'condition' AND level > 0 AND `+HeldSQL,
	)},
	// The register's counts by 状态, 密级, 载体类型 and year of registration,
	// and by 责任人, 状态 and 密级, kept exact by triggers in the transaction
	// of every change: the home, the status bar and the 自查 due list read a
	// few dozen rows instead of counting the register. Derived, so not
	// sealed; the audit check recounts them.
	{29, "carrier counts", execAll(
		`CREATE TABLE carrier_counts (
			state TEXT NOT NULL,
			level INTEGER NOT NULL,
			kind TEXT NOT NULL,
			year INTEGER NOT NULL,
			n INTEGER NOT NULL,
			PRIMARY KEY (state, level, kind, year)
		) WITHOUT ROWID`,
		`INSERT INTO carrier_counts (state, level, kind, year, n)
			SELECT state, level, kind, year, count(*) FROM carriers GROUP BY state, level, kind, year`,
		`CREATE TRIGGER carrier_counts_insert AFTER INSERT ON carriers BEGIN
			INSERT INTO carrier_counts (state, level, kind, year, n) VALUES (NEW.state, NEW.level, NEW.kind, NEW.year, 1)
				ON CONFLICT (state, level, kind, year) DO UPDATE SET n = n + 1;
		END`,
		`CREATE TRIGGER carrier_counts_update AFTER UPDATE OF state, level, kind, year ON carriers
			WHEN OLD.state IS NOT NEW.state OR OLD.level IS NOT NEW.level OR OLD.kind IS NOT NEW.kind
				OR OLD.year IS NOT NEW.year
		BEGIN
			UPDATE carrier_counts SET n = n - 1
				WHERE state = OLD.state AND level = OLD.level AND kind = OLD.kind AND year = OLD.year;
			INSERT INTO carrier_counts (state, level, kind, year, n) VALUES (NEW.state, NEW.level, NEW.kind, NEW.year, 1)
				ON CONFLICT (state, level, kind, year) DO UPDATE SET n = n + 1;
		END`,
		`CREATE TABLE custodian_counts (
			custodian TEXT NOT NULL,
			state TEXT NOT NULL,
			level INTEGER NOT NULL,
			n INTEGER NOT NULL,
			PRIMARY KEY (custodian, state, level)
		) WITHOUT ROWID`,
		`INSERT INTO custodian_counts (custodian, state, level, n)
			SELECT custodian, state, level, count(*) FROM carriers GROUP BY custodian, state, level`,
		`CREATE TRIGGER custodian_counts_insert AFTER INSERT ON carriers BEGIN
			INSERT INTO custodian_counts (custodian, state, level, n) VALUES (NEW.custodian, NEW.state, NEW.level, 1)
				ON CONFLICT (custodian, state, level) DO UPDATE SET n = n + 1;
		END`,
		`CREATE TRIGGER custodian_counts_update AFTER UPDATE OF custodian, state, level ON carriers
			WHEN OLD.custodian IS NOT NEW.custodian OR OLD.state IS NOT NEW.state OR OLD.level IS NOT NEW.level
		BEGIN
			UPDATE custodian_counts SET n = n - 1
				WHERE custodian = OLD.custodian AND state = OLD.state AND level = OLD.level;
			INSERT INTO custodian_counts (custodian, state, level, n) VALUES (NEW.custodian, NEW.state, NEW.level, 1)
				ON CONFLICT (custodian, state, level) DO UPDATE SET n = n + 1;
		END`,
	)},
	// The ledger's filters from an index (R3): for each filter the window
	// offers (状态, 密级, 载体类型, year, 来文单位) an index that starts
	// with it and then runs in registration order, carrying the other
	// filters' columns, so that a page is a walk over one index that stops
	// after the page, never a sort of every match; and the counts by
	// 来文单位, kept like carrier_counts, so that the count beside the page
	// is read, not counted.
	{30, "ledger filter indexes", execAll(
		`DROP INDEX idx_carriers_issuer`,
		`CREATE INDEX idx_carriers_issuer ON carriers(issuer, seq, state, level, kind, year)`,
		`CREATE INDEX idx_carriers_by_seq ON carriers(seq, state, level, kind, year)`,
		`CREATE INDEX idx_carriers_by_state ON carriers(state, seq, level, kind, year)`,
		`CREATE INDEX idx_carriers_by_level ON carriers(level, seq, state, kind, year)`,
		`CREATE INDEX idx_carriers_by_kind ON carriers(kind, seq, state, level, year)`,
		`CREATE INDEX idx_carriers_by_year ON carriers(year, seq, state, level, kind)`,
		`CREATE TABLE issuer_counts (
			issuer TEXT NOT NULL,
			state TEXT NOT NULL,
			level INTEGER NOT NULL,
			kind TEXT NOT NULL,
			year INTEGER NOT NULL,
			n INTEGER NOT NULL,
			PRIMARY KEY (issuer, state, level, kind, year)
		) WITHOUT ROWID`,
		`INSERT INTO issuer_counts (issuer, state, level, kind, year, n)
			SELECT issuer, state, level, kind, year, count(*) FROM carriers GROUP BY issuer, state, level, kind, year`,
		`CREATE TRIGGER issuer_counts_insert AFTER INSERT ON carriers BEGIN
			INSERT INTO issuer_counts (issuer, state, level, kind, year, n)
				VALUES (NEW.issuer, NEW.state, NEW.level, NEW.kind, NEW.year, 1)
				ON CONFLICT (issuer, state, level, kind, year) DO UPDATE SET n = n + 1;
		END`,
		`CREATE TRIGGER issuer_counts_update AFTER UPDATE OF issuer, state, level, kind, year ON carriers
			WHEN OLD.issuer IS NOT NEW.issuer OR OLD.state IS NOT NEW.state OR OLD.level IS NOT NEW.level
				OR OLD.kind IS NOT NEW.kind OR OLD.year IS NOT NEW.year
		BEGIN
			UPDATE issuer_counts SET n = n - 1 WHERE issuer = OLD.issuer AND state = OLD.state
				AND level = OLD.level AND kind = OLD.kind AND year = OLD.year;
			INSERT INTO issuer_counts (issuer, state, level, kind, year, n)
				VALUES (NEW.issuer, NEW.state, NEW.level, NEW.kind, NEW.year, 1)
				ON CONFLICT (issuer, state, level, kind, year) DO UPDATE SET n = n + 1;
		END`,
	)},
	// The ledger's counts by blocks of 8,192 registration numbers (seq >> 13),
	// kept like carrier_counts: a page half-way down a million-row list
	// skips the blocks before it by their counts and walks one block.
	{31, "ledger blocks", execAll(
		`CREATE TABLE carrier_blocks (
			blk INTEGER NOT NULL,
			state TEXT NOT NULL,
			level INTEGER NOT NULL,
			kind TEXT NOT NULL,
			year INTEGER NOT NULL,
			n INTEGER NOT NULL,
			PRIMARY KEY (blk, state, level, kind, year)
		) WITHOUT ROWID`,
		`INSERT INTO carrier_blocks (blk, state, level, kind, year, n)
			SELECT seq >> 13, state, level, kind, year, count(*) FROM carriers GROUP BY seq >> 13, state, level, kind, year`,
		`CREATE TRIGGER carrier_blocks_insert AFTER INSERT ON carriers BEGIN
			INSERT INTO carrier_blocks (blk, state, level, kind, year, n)
				VALUES (NEW.seq >> 13, NEW.state, NEW.level, NEW.kind, NEW.year, 1)
				ON CONFLICT (blk, state, level, kind, year) DO UPDATE SET n = n + 1;
		END`,
		`CREATE TRIGGER carrier_blocks_update AFTER UPDATE OF seq, state, level, kind, year ON carriers
			WHEN OLD.seq IS NOT NEW.seq OR OLD.state IS NOT NEW.state OR OLD.level IS NOT NEW.level
				OR OLD.kind IS NOT NEW.kind OR OLD.year IS NOT NEW.year
		BEGIN
			UPDATE carrier_blocks SET n = n - 1 WHERE blk = OLD.seq >> 13 AND state = OLD.state
				AND level = OLD.level AND kind = OLD.kind AND year = OLD.year;
			INSERT INTO carrier_blocks (blk, state, level, kind, year, n)
				VALUES (NEW.seq >> 13, NEW.state, NEW.level, NEW.kind, NEW.year, 1)
				ON CONFLICT (blk, state, level, kind, year) DO UPDATE SET n = n + 1;
		END`,
	)},
}

// termEndSQL is models.TermExpiry in SQL, over a carriers row: NULL where
// the term has no date (内部 and 非密, 解密条件, 长期, an unset term).
const termEndSQL = `CASE WHEN level > 0 THEN CASE term_kind
	WHEN 'condition' THEN NULL
	WHEN 'long' THEN NULL
	WHEN 'until' THEN NULLIF(term_until, '')
	WHEN 'months' THEN CASE WHEN term_months > 0 THEN date(CASE WHEN doc_date <> '' THEN doc_date
		WHEN term_from <> '' THEN term_from ELSE reg_date END, '+' || term_months || ' months') END
	WHEN 'years' THEN CASE WHEN term_years > 0 THEN date(CASE WHEN doc_date <> '' THEN doc_date
		WHEN term_from <> '' THEN term_from ELSE reg_date END, '+' || term_years || ' years') END
	ELSE date(CASE WHEN doc_date <> '' THEN doc_date WHEN term_from <> '' THEN term_from ELSE reg_date END,
		'+' || CASE level WHEN 3 THEN 30 WHEN 2 THEN 20 ELSE 10 END || ' years')
	END END`

// HeldSQL is the condition on a carriers row that it is held (HeldStates),
// written out as the partial indexes of the held carriers name it: a query
// that should use one of them says it in these words.
const HeldSQL = `state IN ('in_store', 'in_circulation', 'on_loan', 'taken_out')`
