import type { Database } from 'bun:sqlite'
import type { AlertEvent, AlertHistoryPage, AlertHistoryQuery, AlertRule } from '../types.ts'
import { decodeCursor, encodeCursor } from './cursor.ts'
import type { SqlParam } from './where.ts'

interface EventRow {
  id: number
  rule_id: string
  rule_name: string
  state: string
  time_ms: number
  metric: string
  value: number | null
  condition: string
  key: string | null
  message: string
}

function rowToEvent(row: EventRow): AlertEvent {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    state: row.state as AlertEvent['state'],
    time: row.time_ms,
    metric: row.metric,
    value: row.value,
    condition: row.condition,
    key: row.key === null ? null : (JSON.parse(row.key) as AlertEvent['key']),
    message: row.message,
  }
}

/** Alert rules made through the API, and the history of every firing and resolving. */
export class AlertTables {
  constructor(
    private readonly writer: Database,
    private readonly reader: Database,
  ) {}

  rules(): AlertRule[] {
    return this.reader
      .query('SELECT rule FROM alert_rules ORDER BY created_ms, id')
      .values()
      .map(([rule]) => JSON.parse(rule as string) as AlertRule)
  }

  insertRule(rule: AlertRule, createdMs: number): boolean {
    const { changes } = this.writer.run(
      'INSERT OR IGNORE INTO alert_rules (id, rule, created_ms) VALUES (?, ?, ?)',
      [rule.id, JSON.stringify(rule), createdMs],
    )
    return changes > 0
  }

  deleteRule(id: string): boolean {
    return this.writer.run('DELETE FROM alert_rules WHERE id = ?', [id]).changes > 0
  }

  appendEvent(event: Omit<AlertEvent, 'id'>): AlertEvent {
    const { lastInsertRowid } = this.writer.run(
      `INSERT INTO alert_events
         (rule_id, rule_name, state, time_ms, metric, value, condition, key, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        event.ruleId,
        event.ruleName,
        event.state,
        event.time,
        event.metric,
        event.value,
        event.condition,
        event.key === null ? null : JSON.stringify(event.key),
        event.message,
      ],
    )
    return { id: Number(lastInsertRowid), ...event }
  }

  events(query: AlertHistoryQuery): AlertHistoryPage {
    const clauses = ['time_ms >= ?', 'time_ms < ?']
    const params: SqlParam[] = [query.fromMs, query.toMs]
    if (query.ruleId !== undefined) {
      clauses.push('rule_id = ?')
      params.push(query.ruleId)
    }
    if (query.cursor !== null) {
      const [time, id] = decodeCursor(query.cursor)
      clauses.push('(time_ms < ? OR (time_ms = ? AND id < ?))')
      params.push(time, time, id)
    }
    const rows = this.reader
      .query(
        `SELECT * FROM alert_events WHERE ${clauses.join(' AND ')}
         ORDER BY time_ms DESC, id DESC LIMIT ?`,
      )
      .all(...params, query.limit + 1) as EventRow[]
    const page = rows.slice(0, query.limit)
    const last = page[page.length - 1]
    return {
      items: page.map(rowToEvent),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.time_ms, last.id) : null,
    }
  }

  lastEvents(): AlertEvent[] {
    const rows = this.reader
      .query(
        `SELECT e.* FROM alert_events e
         JOIN (SELECT rule_id, MAX(id) AS id FROM alert_events GROUP BY rule_id) last
           ON last.id = e.id
         ORDER BY e.id`,
      )
      .all() as EventRow[]
    return rows.map(rowToEvent)
  }
}
