/**
 * A story's docs, always the same two parts: what the user sees in this state, and what the
 * store does next from here.
 */
export function storyDocs(sees: string, next: string) {
  return {
    docs: {
      description: {
        story: `**What the user sees:** ${sees}\n\n**What the store does next:** ${next}`,
      },
    },
  }
}
