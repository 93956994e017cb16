import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * Test-file order for the mutation run. Vitest runs the slowest files first (good for
 * parallel workers); Stryker runs one worker per mutant and stops at the first failure, so
 * the cheapest way to kill a mutant is: the file that failed last time first (neighbouring
 * mutants tend to break the same tests), then the fastest files.
 */
export class FastestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache
    const stateOf = (file: TestSpecification) =>
      cache.getFileTestResults(
        `${file.project.name}:${relativeToRoot(this.ctx.config.root, file.moduleId)}`,
      )
    return [...files].sort((a, b) => {
      const aState = stateOf(a)
      const bState = stateOf(b)
      if (aState?.failed !== bState?.failed) return aState?.failed ? -1 : 1
      return (aState?.duration ?? 0) - (bState?.duration ?? 0)
    })
  }
}

function relativeToRoot(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path
}
