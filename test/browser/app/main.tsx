import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { readPageConfig } from './pageConfig'
import { createPageSession } from './session'
import './page.css'

const session = createPageSession(readPageConfig(window.location.search))
// The tests read state and call actions through these, as a person would through the UI.
window.__store = session.store
window.__e2e = session

const root = document.getElementById('root')
if (!root) throw new Error('e2e page: #root is missing')
createRoot(root).render(
  <StrictMode>
    <App session={session} />
  </StrictMode>,
)
