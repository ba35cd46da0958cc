#!/usr/bin/env node
// Runs dynalite on 127.0.0.1 through its Node API, so that TLS uses the certificate we give it:
// the one dynalite bundles for `--ssl` expired in 2018.
//
//   node dynalite-server.js --dynalite DIR --port-file FILE --state=STATE_DIR [--cert FILE --key FILE]
//
// Listens on a port the kernel picks (no race with other start-ups) and, once listening, writes
// that port to --port-file. --state only tags the command line, so that the stop script can tell
// this process from any other before signalling it. Exits on SIGTERM/SIGINT.
'use strict'
const fs = require('fs')
const { parseArgs } = require('util')

const { values: args } = parseArgs({
  options: {
    dynalite: { type: 'string' },
    'port-file': { type: 'string' },
    state: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
})
if (!args.dynalite || !args['port-file'] || Boolean(args.cert) !== Boolean(args.key)) {
  console.error('usage: dynalite-server.js --dynalite DIR --port-file FILE --state=DIR [--cert FILE --key FILE]')
  process.exit(2)
}

const dynalite = require(args.dynalite)
const options = {}
if (args.cert) {
  // dynalite falls back to its bundled (expired) files for any of key/cert/ca left unset.
  const cert = fs.readFileSync(args.cert)
  Object.assign(options, { ssl: true, cert, key: fs.readFileSync(args.key), ca: cert })
}

const server = dynalite(options)
server.on('error', (err) => {
  console.error(`dynalite: ${err.message}`)
  process.exit(1)
})
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address()
  const tmp = `${args['port-file']}.tmp`
  fs.writeFileSync(tmp, `${port}\n`)
  fs.renameSync(tmp, args['port-file'])
  console.log(`dynalite ${require(`${args.dynalite}/package.json`).version} listening on ` +
              `${args.cert ? 'https' : 'http'}://127.0.0.1:${port}`)
})

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0))
