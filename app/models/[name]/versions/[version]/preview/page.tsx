import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { PageHeader } from '@/app/_components/page-header'
import { orNotFound } from '@/app/_lib/not-found'
import { slugName } from '@/server/compiler/pipeline-file'
import { requirePageActor } from '@/server/http/page-auth'
import { getModelVersion } from '@/server/models/registry'
import { ModelPreview } from './_preview/model-preview'

export const dynamic = 'force-dynamic'

type Props = {
  params: Promise<{ name: string; version: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name, version } = await params
  return { title: `Preview ${name} v${version} · Models` }
}

/** Segments that could name no version are a 404 before any query, as on the version page. */
async function versionParams(params: Props['params']): Promise<{ name: string; version: number }> {
  const { name: rawName, version: rawVersion } = await params
  const name = decodeURIComponent(rawName)
  if (!slugName.safeParse(name).success || !/^[1-9][0-9]{0,9}$/.test(rawVersion) || Number(rawVersion) > 2_147_483_647) notFound()
  return { name, version: Number(rawVersion) }
}

/** `?deployment=<name>`: a deployment to compare with; anything that is no slug is ignored (and said so). */
function deploymentParam(value: string | string[] | undefined): { deployment: string | null; refused: string | null } {
  if (typeof value !== 'string' || value === '') return { deployment: null, refused: null }
  return slugName.safeParse(value).success ? { deployment: value, refused: null } : { deployment: null, refused: value.slice(0, 80) }
}

/** Try a registered version on your own inputs, in this browser, with onnxruntime-web. */
export default async function ModelPreviewPage({ params, searchParams }: Props) {
  const { name, version } = await versionParams(params)
  const { services } = await requirePageActor('model:read')
  const found = await orNotFound(getModelVersion(services.db, name, version))
  const { deployment, refused } = deploymentParam((await searchParams).deployment)

  return (
    <>
      <PageHeader
        trail={[
          { href: '/models', label: 'Models' },
          { href: `/models/${name}`, label: name, mono: true },
          { href: `/models/${name}/versions/${version}`, label: `v${version}`, mono: true },
        ]}
        title={
          <span>
            Preview <span className="font-mono">{name}</span> <span className="font-mono text-zinc-500">v{version}</span>
          </span>
        }
        description={`Runs the model in this browser with onnxruntime-web on your own ${found.metadata.features.some((f) => f.kind === 'image') ? 'images' : 'values'}: nothing is sent to the server unless you compare with a deployment. Preprocessing is inside the model, so the numbers are the server's.`}
      />
      {refused ? <p className="mb-4 text-sm text-amber-700">“{refused}” is not a deployment name (lower-case letters, digits and dashes); comparing is off.</p> : null}
      <ModelPreview
        model={{ name: found.name, version: found.version, sha256: found.artifactId, sizeBytes: found.sizeBytes, metadata: found.metadata }}
        deployment={deployment}
      />
    </>
  )
}
