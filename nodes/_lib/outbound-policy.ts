// Server-only: which IP addresses an outbound request (URL ingest, later webhooks) may reach.
//
// Everything on the public internet is allowed; addresses that lead into the machine or the
// network it runs in (loopback, private ranges, link-local, cloud metadata, …) are refused,
// because a pipeline author must not be able to make the server probe or read them (SSRF).
// An administrator can allow ranges with PIPEWRIGHT_OUTBOUND_ALLOW (see server/env.ts).
import { BlockList, isIP } from 'node:net'
import { z } from 'zod'
import type { OutboundPolicy } from '../contract'

/** The environment variable an administrator sets; named in every refusal. */
export const outboundAllowVariable = 'PIPEWRIGHT_OUTBOUND_ALLOW'

interface Rule {
  /** what the user reads: "127.0.0.1 is <name>" */
  name: string
  ranges: readonly string[]
}

// Order matters: the first rule that matches names the refusal, so the narrow metadata rule
// comes before the link-local and unique-local ranges that contain it.
const rules: readonly Rule[] = [
  { name: 'a cloud metadata address', ranges: ['169.254.169.254/32', '169.254.170.2/32', 'fd00:ec2::254/128'] },
  { name: 'a loopback address', ranges: ['127.0.0.0/8', '::1/128'] },
  { name: "an unspecified ('this host') address", ranges: ['0.0.0.0/8', '::/128'] },
  { name: 'a private address', ranges: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] },
  { name: 'a shared (carrier-grade NAT) address', ranges: ['100.64.0.0/10'] },
  { name: 'a link-local address', ranges: ['169.254.0.0/16', 'fe80::/10'] },
  { name: 'a unique-local IPv6 address', ranges: ['fc00::/7'] },
  { name: 'a multicast address', ranges: ['224.0.0.0/4', 'ff00::/8'] },
  {
    name: 'a reserved address',
    ranges: [
      '192.0.0.0/24', // IETF protocol assignments
      '192.0.2.0/24', // documentation
      '192.88.99.0/24', // deprecated 6to4 relays
      '198.18.0.0/15', // benchmarking
      '198.51.100.0/24', // documentation
      '203.0.113.0/24', // documentation
      '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
      '::/96', // deprecated IPv4-compatible IPv6
      '::ffff:0:0:0/96', // IPv4-translated (SIIT)
      '100::/64', // discard
      '2001::/23', // IETF protocol assignments, Teredo
      '2001:db8::/32', // documentation
      'fec0::/10', // deprecated site-local
    ],
  },
]

/** A zod schema for the allow-list: comma-separated CIDR ranges (a bare address means just it). */
export const outboundAllowList = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()).filter((part) => part !== ''))
  .pipe(
    z.array(
      z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()], {
        error: (issue) => `${JSON.stringify(issue.input)} is not a CIDR range such as 127.0.0.0/8 or ::1/128`,
      }),
    ),
  )

export interface Refusal {
  /** the address as it was checked */
  address: string
  /** the IPv4 address hidden in it (an IPv4-mapped, NAT64 or 6to4 IPv6 address), if any */
  embedded?: string
  /** the rule's name, e.g. "a loopback address" */
  rule: string
}

export interface AddressPolicy {
  /** undefined when the address may be reached */
  check(address: string): Refusal | undefined
}

export function createAddressPolicy(policy: OutboundPolicy): AddressPolicy {
  const allowed = new BlockList()
  for (const range of policy.allow) addRange(allowed, range)
  const compiled = rules.map((rule) => {
    const list = new BlockList()
    for (const range of rule.ranges) addRange(list, range)
    return { name: rule.name, list }
  })
  const match = (address: string) => {
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6'
    if (allowed.check(address, family)) return undefined
    return compiled.find((rule) => rule.list.check(address, family))?.name
  }
  return {
    check(raw) {
      const address = raw.replace(/%.*$/, '') // a zone id (fe80::1%eth0) does not change the range
      if (isIP(address) === 0) return { address, rule: 'not an IP address' }
      const embedded = isIP(address) === 6 ? embeddedIPv4(address) : undefined
      // an IPv6 address that carries an IPv4 one is checked as that IPv4 address too
      const rule = (embedded !== undefined ? match(embedded) : undefined) ?? match(address)
      return rule === undefined ? undefined : { address, embedded, rule }
    },
  }
}

/**
 * "127.0.0.1 is a loopback address", "::ffff:7f00:1 (IPv4 127.0.0.1) is a loopback address",
 * or for a host name "localhost resolves to 127.0.0.1, a loopback address".
 */
export function describeRefusal(refusal: Refusal, host?: string): string {
  const shown = refusal.embedded ? `${refusal.address} (IPv4 ${refusal.embedded})` : refusal.address
  return host !== undefined && host !== refusal.address ? `${host} resolves to ${shown}, ${refusal.rule}` : `${shown} is ${refusal.rule}`
}

export const allowHint = `an administrator can allow it with ${outboundAllowVariable}`

function addRange(list: BlockList, range: string): void {
  const [address = '', prefix] = range.split('/')
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6'
  if (prefix === undefined) list.addAddress(address, family)
  else list.addSubnet(address, Number(prefix), family)
}

/**
 * The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) or 6to4
 * (2002:aabb:ccdd::) address: each of them ends up talking to that IPv4 address.
 */
export function embeddedIPv4(address: string): string | undefined {
  const groups = expandIPv6(address)
  if (!groups) return undefined
  const isZero = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0)
  if (isZero(0, 5) && groups[5] === 0xffff) return toIPv4(groups[6]!, groups[7]!)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && isZero(2, 6)) return toIPv4(groups[6]!, groups[7]!)
  if (groups[0] === 0x2002) return toIPv4(groups[1]!, groups[2]!)
  return undefined
}

function toIPv4(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')
}

/** The eight 16-bit groups of an IPv6 address, in any of its written forms. */
function expandIPv6(address: string): number[] | undefined {
  let text = address.toLowerCase()
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : [])
  const head = parse(halves[0])
  const tail = parse(halves[1])
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined
}
