import { z } from 'zod'
import { moveAlias } from '@/server/models/registry'
import { parseNewSlug, requireModelName, versionNumber } from '@/server/http/ids'
import { apiRoute, bodyLimits, readJson } from '@/server/http/route'

const aliasMove = z.object({ version: versionNumber })

/** `PUT /api/v1/models/{name}/aliases/{alias}` `{ version }`: points the alias at that version; the move is audited with from and to. */
export const PUT = apiRoute<{ name: string; alias: string }>('model:register', async ({ request, params, services, actor, audit }) => {
  const name = requireModelName(params.name)
  const alias = parseNewSlug(params.alias, 'alias')
  const { version } = aliasMove.parse(await readJson(request, { maxBytes: bodyLimits.public }))
  const moved = await moveAlias(services.db, { name, alias, version, actorId: actor.id })
  audit.on(`model ${name} alias ${alias}`, { model: name, alias, from: moved.from, to: moved.to })
  return { name, alias, ...moved }
}, { audit: 'model.alias-move' })
