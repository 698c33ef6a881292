// The external trainers' settings as a pipeline file or the form sends them: what is taken and
// what is refused, with the message a person reads beside the field.
import { describe, expect, it } from 'vitest'
import { trainHandoffConfig } from './definition'

const parse = (trainer: Record<string, unknown>) => trainHandoffConfig.safeParse({ trainer, registerAs: 'outside' })
const firstIssue = (trainer: Record<string, unknown>) => {
  const parsed = parse(trainer)
  expect(parsed.success).toBe(false)
  return parsed.error!.issues[0]!
}

describe('external trainer settings', () => {
  it('takes each mode with its defaults: label "label", a 60-minute timeout', () => {
    for (const trainer of [{ type: 'webhook', url: 'https://trainer.example.org/jobs' }, { type: 'command', command: 'pytorch-cnn' }, { type: 'manual' }]) {
      const parsed = parse(trainer)
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
      expect(parsed.data!.trainer).toMatchObject({ ...trainer, label: 'label', timeoutMinutes: 60 })
    }
  })

  it('names a command by its allowed name only: never a program, a path or arguments', () => {
    for (const command of ['rm -rf /', '../bin/sh', 'python3 train.py', 'PyTorch', '', 'a'.repeat(65)]) {
      expect(firstIssue({ type: 'command', command })).toMatchObject({ path: ['trainer', 'command'], message: expect.stringMatching(/PIPEWRIGHT_TRAINER_COMMANDS/) })
    }
    expect(firstIssue({ type: 'command', command: 'pytorch-cnn', argv: ['--evil'] })).toMatchObject({ code: 'unrecognized_keys', keys: ['argv'] })
  })

  it('refuses a webhook that is not http(s), a timeout out of range, the label as a feature, and too many hyperparameters', () => {
    expect(firstIssue({ type: 'webhook', url: 'file:///etc/passwd' })).toMatchObject({ path: ['trainer', 'url'], message: expect.stringMatching(/http\(s\) address/) })
    expect(firstIssue({ type: 'manual', timeoutMinutes: 0 }).path).toEqual(['trainer', 'timeoutMinutes'])
    expect(firstIssue({ type: 'manual', timeoutMinutes: 7 * 24 * 60 + 1 }).path).toEqual(['trainer', 'timeoutMinutes'])
    expect(firstIssue({ type: 'manual', label: 'species', features: ['species', 'island'] })).toMatchObject({ path: ['trainer', 'features'], message: expect.stringMatching(/cannot also be a feature/) })
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, i]))
    expect(firstIssue({ type: 'manual', hyperparameters: many }).message).toBe('at most 100 hyperparameters')
    expect(firstIssue({ type: 'manual', hyperparameters: { nested: { no: 1 } } }).path).toEqual(['trainer', 'hyperparameters', 'nested'])
  })
})
