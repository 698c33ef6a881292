import { describe, expect, it } from 'vitest'
import { readEnv } from '@/server/env'
import { createAddressPolicy, describeRefusal, embeddedIPv4 } from './outbound-policy'

const fresh = createAddressPolicy({ allow: [] })
const said = (address: string, host?: string) => {
  const refusal = fresh.check(address)
  return refusal ? describeRefusal(refusal, host) : 'allowed'
}

describe('the outbound address policy of a fresh installation', () => {
  it('names the rule that refuses each kind of internal address', () => {
    expect(said('127.0.0.1')).toBe('127.0.0.1 is a loopback address')
    expect(said('127.255.0.9')).toBe('127.255.0.9 is a loopback address')
    expect(said('::1')).toBe('::1 is a loopback address')
    expect(said('169.254.169.254')).toBe('169.254.169.254 is a cloud metadata address')
    expect(said('fd00:ec2::254')).toBe('fd00:ec2::254 is a cloud metadata address')
    expect(said('169.254.1.1')).toBe('169.254.1.1 is a link-local address')
    expect(said('fe80::1')).toBe('fe80::1 is a link-local address')
    expect(said('fe80::1%eth0')).toBe('fe80::1 is a link-local address')
    expect(said('10.0.0.1')).toBe('10.0.0.1 is a private address')
    expect(said('172.16.0.1')).toBe('172.16.0.1 is a private address')
    expect(said('172.31.255.255')).toBe('172.31.255.255 is a private address')
    expect(said('192.168.1.1')).toBe('192.168.1.1 is a private address')
    expect(said('100.64.0.1')).toBe('100.64.0.1 is a shared (carrier-grade NAT) address')
    expect(said('fd00::1')).toBe('fd00::1 is a unique-local IPv6 address')
    expect(said('fc00::1')).toBe('fc00::1 is a unique-local IPv6 address')
    expect(said('0.0.0.0')).toBe("0.0.0.0 is an unspecified ('this host') address")
    expect(said('::')).toBe(":: is an unspecified ('this host') address")
    expect(said('224.0.0.251')).toBe('224.0.0.251 is a multicast address')
    expect(said('ff02::1')).toBe('ff02::1 is a multicast address')
    expect(said('255.255.255.255')).toBe('255.255.255.255 is a reserved address')
    expect(said('192.0.2.7')).toBe('192.0.2.7 is a reserved address')
    expect(said('2001:db8::1')).toBe('2001:db8::1 is a reserved address')
  })

  it('sees the IPv4 address inside mapped, NAT64 and 6to4 IPv6 addresses', () => {
    expect(said('::ffff:7f00:1')).toBe('::ffff:7f00:1 (IPv4 127.0.0.1) is a loopback address')
    expect(said('::ffff:127.0.0.1')).toBe('::ffff:127.0.0.1 (IPv4 127.0.0.1) is a loopback address')
    expect(said('::ffff:a9fe:a9fe')).toBe('::ffff:a9fe:a9fe (IPv4 169.254.169.254) is a cloud metadata address')
    expect(said('64:ff9b::a00:1')).toBe('64:ff9b::a00:1 (IPv4 10.0.0.1) is a private address')
    expect(said('2002:c0a8:101::1')).toBe('2002:c0a8:101::1 (IPv4 192.168.1.1) is a private address')
    expect(embeddedIPv4('2606:4700::1111')).toBeUndefined()
  })

  it('lets public addresses through, in either family and in mapped form', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(said(address), address).toBe('allowed')
    }
  })

  it('says which name resolved to a refused address', () => {
    expect(said('127.0.0.1', 'localhost')).toBe('localhost resolves to 127.0.0.1, a loopback address')
  })
})

describe('ranges an administrator allows', () => {
  it('allows exactly the listed ranges, IPv4-mapped forms included', () => {
    const policy = createAddressPolicy({ allow: ['127.0.0.1/32', '10.20.0.0/16', 'fd12::/16'] })
    expect(policy.check('127.0.0.1')).toBeUndefined()
    expect(policy.check('::ffff:127.0.0.1')).toBeUndefined()
    expect(policy.check('10.20.3.4')).toBeUndefined()
    expect(policy.check('fd12::9')).toBeUndefined()
    expect(policy.check('127.0.0.2')?.rule).toBe('a loopback address')
    expect(policy.check('::1')?.rule).toBe('a loopback address')
    expect(policy.check('10.21.0.1')?.rule).toBe('a private address')
    expect(policy.check('169.254.169.254')?.rule).toBe('a cloud metadata address')
  })

  it('are read from PIPEWRIGHT_OUTBOUND_ALLOW, comma-separated, and a wrong entry stops the start naming it', () => {
    expect(readEnv({}).PIPEWRIGHT_OUTBOUND_ALLOW).toEqual([])
    expect(readEnv({ PIPEWRIGHT_OUTBOUND_ALLOW: '' }).PIPEWRIGHT_OUTBOUND_ALLOW).toEqual([])
    expect(readEnv({ PIPEWRIGHT_OUTBOUND_ALLOW: '127.0.0.0/8, ::1/128,10.1.2.3' }).PIPEWRIGHT_OUTBOUND_ALLOW).toEqual([
      '127.0.0.0/8',
      '::1/128',
      '10.1.2.3',
    ])
    expect(() => readEnv({ PIPEWRIGHT_OUTBOUND_ALLOW: '127.0.0.0/8,localhost,10.0.0.0/33' })).toThrow(
      'Invalid environment: PIPEWRIGHT_OUTBOUND_ALLOW.1: "localhost" is not a CIDR range such as 127.0.0.0/8 or ::1/128; ' +
        'PIPEWRIGHT_OUTBOUND_ALLOW.2: "10.0.0.0/33" is not a CIDR range such as 127.0.0.0/8 or ::1/128. See .env.example.',
    )
  })
})
