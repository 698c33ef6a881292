export * from './artifacts'
export * from './pipelines'
export * from './runs'
export * from './users'
