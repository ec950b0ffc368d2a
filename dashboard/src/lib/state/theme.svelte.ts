export type ThemeChoice = 'system' | 'light' | 'dark'

const STORAGE_KEY = 'llmlens.theme'

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return value === 'light' || value === 'dark' ? value : 'system'
  } catch {
    return 'system'
  }
}

/**
 * Light or dark, following the system unless the user picked one. The choice is an attribute on
 * <html> that the stylesheet reads; charts read `dark` to redraw in the new colours.
 */
class Theme {
  choice = $state<ThemeChoice>('system')
  dark = $state(false)
  private media: MediaQueryList | null = null

  start(): void {
    this.media = matchMedia('(prefers-color-scheme: dark)')
    this.media.addEventListener('change', () => this.apply())
    this.choice = stored()
    this.apply()
  }

  set(choice: ThemeChoice): void {
    this.choice = choice
    try {
      if (choice === 'system') localStorage.removeItem(STORAGE_KEY)
      else localStorage.setItem(STORAGE_KEY, choice)
    } catch {
      // Storage can be off (private windows); the choice then lasts for this page only.
    }
    this.apply()
  }

  private apply(): void {
    const root = document.documentElement
    if (this.choice === 'system') delete root.dataset.theme
    else root.dataset.theme = this.choice
    this.dark =
      this.choice === 'dark' || (this.choice === 'system' && (this.media?.matches ?? false))
  }
}

export const theme = new Theme()
