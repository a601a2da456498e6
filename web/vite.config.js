// Vite build of the kaowu SPA: Vue SFCs, Element Plus on demand, hashed assets in dist/assets.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  plugins: [
    vue(),
    // <el-*> tags in templates import their component and its precompiled CSS on demand.
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: false,
    }),
  ],
  build: {
    outDir: 'dist',
    assetsDir: 'assets', // nginx serves /assets/ with a long cache: every file there has a content hash
    sourcemap: false,
    // The strict CSP forbids inline scripts; never inline assets as data: URLs into JS either.
    assetsInlineLimit: 0,
    // Libraries change rarely: keep them in their own chunks so an app release does not bust their cache.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Vue first (higher priority): otherwise the Element Plus group takes Vue along as its dependency.
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia)[\\/]/, priority: 20 },
            // ECharts only for the pages that draw charts (计划汇总, 题库统计).
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 15 },
            { name: 'element-plus', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev` forwards the API to a running backend (make up), default port 8080.
    proxy: {
      '/api': { target: process.env.KAOWU_API || 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
})
