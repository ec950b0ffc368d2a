// See https://svelte.dev/docs/kit/types#app.d.ts for what may be declared here; nothing yet.
export {}
