import { describe, expect, test } from 'bun:test'
import { WebhookAllowList } from './allow-list.ts'

describe('WebhookAllowList', () => {
  const list = WebhookAllowList.parse('hooks.slack.com, *.example.com, 127.0.0.1:9000, [::1]')

  test('allows the hosts it lists, subdomains of a *. pattern, and a pattern port only', () => {
    for (const url of [
      'https://hooks.slack.com/services/T0/B0/x',
      'https://alerts.example.com/hook',
      'https://a.b.example.com/hook',
      'http://127.0.0.1:9000/hook',
      'http://[::1]:8080/hook',
    ]) {
      expect([url, list.refusal(url)]).toEqual([url, null])
    }
  })

  test('refuses everything else, and says why', () => {
    expect(list.refusal('https://example.com/hook')).toBe(
      'example.com is not on LLMLENS_WEBHOOK_ALLOW (hooks.slack.com, *.example.com, 127.0.0.1:9000, [::1])',
    )
    expect(list.refusal('http://127.0.0.1:9001/hook')).toStartWith('127.0.0.1:9001 is not on')
    expect(list.refusal('http://169.254.169.254/latest/meta-data')).toStartWith(
      '169.254.169.254 is not on',
    )
    expect(list.refusal('https://hooks.slack.com.evil.net/x')).toStartWith(
      'hooks.slack.com.evil.net is not on',
    )
    expect(list.refusal('ftp://hooks.slack.com/x')).toBe(
      '"ftp://hooks.slack.com/x" must be http or https (actual: ftp)',
    )
    expect(list.refusal('https://user:pw@hooks.slack.com/x')).toBe(
      'a webhook URL must not carry a user name or password; put secrets in its path',
    )
    expect(list.refusal('not a url')).toBe('"not a url" is not a URL')
  })

  test('an empty list turns webhooks off', () => {
    expect(WebhookAllowList.parse('').refusal('https://hooks.slack.com/x')).toBe(
      'webhooks are off: no host is allowed; add hooks.slack.com to LLMLENS_WEBHOOK_ALLOW',
    )
  })

  test('a bad pattern is named', () => {
    expect(() => WebhookAllowList.parse('ok.com, *, http://x.com', '--webhook-allow')).toThrow(
      '--webhook-allow: "*" is not a host pattern; use a host, host:port or *.domain; ' +
        '--webhook-allow: "http://x.com" is not a host pattern; use a host, host:port or *.domain',
    )
  })
})
