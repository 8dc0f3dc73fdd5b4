import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { applyTheme, storedTheme } from './lib/theme.js';
import './styles.css';

applyTheme(storedTheme());
createRoot(document.getElementById('root')!).render(<App />);
