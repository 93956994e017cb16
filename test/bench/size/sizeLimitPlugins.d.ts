// The size-limit plugins ship no types: each default export is a list of plugin objects.
declare module '@size-limit/esbuild' {
  const plugins: unknown[]
  export default plugins
}
declare module '@size-limit/file' {
  const plugins: unknown[]
  export default plugins
}
